"""Newfoundland and Labrador, Nova Scotia, New Brunswick and Prince Edward Island: their
access laws (ca-nl-atippa, ca-ns-foipop, ca-ns-mga, ca-nb-rtippa, ca-pe-foipp) and the
holiday lists of their interpretation acts."""

from __future__ import annotations

from .._rules import CalendarSet
from ..lawtypes import Law

LAWS: tuple[Law, ...] = ()

CALENDARS = CalendarSet(builders={}, descriptions={})
