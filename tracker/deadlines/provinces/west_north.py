"""Manitoba, Saskatchewan, Yukon, the Northwest Territories and Nunavut: their access laws
(ca-mb-fippa, ca-sk-foip, ca-sk-lafoip, ca-yt-atippa, ca-nt-atipp, ca-nu-atipp) and the
holiday lists of their interpretation acts."""

from __future__ import annotations

from .._rules import CalendarSet
from ..lawtypes import Law

LAWS: tuple[Law, ...] = ()

CALENDARS = CalendarSet(builders={}, descriptions={})
