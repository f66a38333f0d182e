"""The import reads its file in a stream and keeps the checked rows on disk (issue 17 part 7):
rows of one file number far apart in the file are still one request, requests come back in the
order of their first row, and what the dry run counted is what the import writes."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tracker.core import clock, db
from tracker.core.models import InfoRequest, TimelineEvent
from tracker.files.storage import LocalStorage
from tracker.imports import bulk, service
from tracker.imports.csvfile import open_csv

TODAY = date(2026, 11, 22)
HEADER = "file number,title,received,completed,decision\n"
MAPPING = {
    "title": "title",
    "file_number": "file number",
    "received_on": "received",
    "completed_on": "completed",
    "decision": "decision",
    "default_institution": "City of Toronto",
    "default_law": "ca-on-mfippa",
}


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY) as day:
        yield day


@pytest.fixture
def editor(make_user):
    return make_user("editor@example.org", newsroom="The Star", role="editor", name="Ed Itor")


def test_rows_of_one_file_number_far_apart_are_one_request_in_file_order(
    app, tmp_path, editor, monkeypatch
):
    monkeypatch.setattr(bulk, "BATCH", 2)  # three batches: the order holds across them
    lines = [HEADER, "A-1,Budget,2024-01-02,2024-02-01,disclosed in part\n"]
    lines += [f"B-{n},Request {n},2024-01-03,2024-02-05,all disclosed\n" for n in range(3)]
    lines.append("\n")  # a blank row keeps its number
    lines.append("A-1,Budget,2024-01-02,2024-03-01,nothing disclosed\n")
    lines.append("C-1,Roads,2024-01-04,,\n")
    path = tmp_path / "far.csv"
    path.write_text("".join(lines), encoding="utf-8")
    table = open_csv(path)
    assert (table.row_count, table.head_numbers) == (6, [2, 3, 4, 5, 7, 8])
    with app.app_context():
        session = db.session()
        user = session.merge(editor)
        plan = service.build_plan(
            session, user.newsroom_id, table, service.Mapping.from_dict(MAPPING), TODAY
        )
        planned = list(plan.iter_requests())
        assert [r.rows for r in planned] == [[2, 7], [3], [4], [5], [8]]
        assert planned[0].responses == [
            (date(2024, 2, 1), "partial"),
            (date(2024, 3, 1), "refused"),
        ]
        assert (plan.request_count, plan.group_count, plan.group_rows) == (5, 1, 2)
        assert plan.grouping_text().startswith("6 rows make 5 requests: 1 file numbers")
        assert "A-1 on rows 2, 7" in plan.grouping_text()
        with db.transaction() as write:
            result = service.run_import(
                write, plan, user, TODAY, LocalStorage(tmp_path / "files"), source="far.csv"
            )
        assert (result.requests, result.rows) == (5, 6)
        numbers = session.scalars(sa.select(InfoRequest.file_number).order_by(InfoRequest.id))
        assert list(numbers) == ["A-1", "B-0", "B-1", "B-2", "C-1"]
        first = session.scalar(sa.select(InfoRequest).where(InfoRequest.file_number == "A-1"))
        kinds = session.scalars(
            sa.select(TimelineEvent.kind)
            .where(TimelineEvent.request_id == first.id)
            .order_by(TimelineEvent.occurred_on, TimelineEvent.id)
        )
        assert list(kinds) == ["filed", "partial_release", "final_response", "imported"]
        assert first.responded_on == date(2024, 3, 1)


def test_a_file_that_breaks_half_way_is_refused_before_anything_is_read_into_the_plan(
    tmp_path,
):
    """The stream is checked whole when opened: a stray quote mark far down the file is
    refused at once, with its line, never half-way through an import."""
    path = tmp_path / "broken.csv"
    rows = [f"B-{n},Request {n},2024-01-03,2024-02-05,all disclosed\n" for n in range(500)]
    path.write_text(HEADER + "".join(rows) + 'X-1,"unclosed,2024-01-03,,\n', encoding="utf-8")
    from tracker.imports.csvfile import CsvFileError

    with pytest.raises(CsvFileError, match="near line 502"):
        open_csv(path)
