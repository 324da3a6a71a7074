"""manage.py import_reviews: a marketplace's review export into reviews, and cases for the low ones.

The samples are the team's own, written into tmp_path; the last test imports the real export from
../shared/data (skipped, saying why, where it is absent).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from cases.models import Case, Kind, State, TimelineEvent
from reviews import services
from reviews.importing import ParsedReview
from reviews.models import Review
from tests.reviews.factories import open_review_case

HEADER = "review_id,posted_at,category,rating,review_text\n"
REAL_EXPORT = Path(__file__).resolve().parents[3] / "shared/data/marketplace_reviews_export.csv"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(path: Path, shop: str = "demo", **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_reviews", str(path), shop=shop, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


SAMPLE = HEADER + (
    "R-1,2026-03-01T10:00:00+08:00,杯子,1,杯子有裂痕，客服也不理人。\n"
    "R-2,2026-03-02T11:30:00+08:00,杯子,5,很好用，包装也结实。\n"
    'R-3,2026-03-03T09:15:00+08:00,茶叶,3,"味道一般，\n物流有点慢。"\n'
    "R-4,2026-03-04T20:45:00+08:00,茶叶,4,\n"
)


def test_every_review_is_stored_and_ratings_of_three_or_below_open_a_case(tmp_path, shop):
    out, err = run(write(tmp_path, "export.csv", SAMPLE))

    assert out.strip() == "4 rows: 4 reviews imported (2 cases opened), 0 already there, 0 bad"
    assert err == ""
    reviews = {r.platform_review_id: r for r in Review.objects.filter(shop=shop)}
    assert sorted(reviews) == ["R-1", "R-2", "R-3", "R-4"]
    assert reviews["R-2"].case is None and reviews["R-4"].case is None
    assert reviews["R-4"].text == ""
    assert reviews["R-3"].text == "味道一般，\n物流有点慢。"
    assert reviews["R-1"].category == "杯子"
    assert reviews["R-1"].posted_at == datetime(2026, 3, 1, 2, 0, tzinfo=ZoneInfo("UTC"))
    case = reviews["R-1"].case
    assert (case.kind, case.state, case.assignee, case.shop) == (Kind.NEGATIVE_REVIEW, State.NEW, None, shop)
    assert case.external_id == "review:R-1"
    assert case.description == "杯子有裂痕，客服也不理人。"
    assert case.first_response_due_at == case.opened_at + timedelta(hours=24)
    assert case.resolution_due_at == case.opened_at + timedelta(days=7)
    [event] = TimelineEvent.objects.filter(case=case)
    assert (event.type, event.actor, event.to_state) == ("case_opened", None, State.NEW)
    assert event.data == {"kind": "negative_review", "external_id": "review:R-1"}


def test_running_the_same_file_again_imports_nothing_twice(tmp_path, shop):
    path = write(tmp_path, "export.csv", SAMPLE)
    run(path)

    out, _err = run(path)

    assert out.strip() == "4 rows: 0 reviews imported (0 cases opened), 4 already there, 0 bad"
    assert Review.objects.count() == 4
    assert Case.objects.count() == 2
    assert TimelineEvent.objects.count() == 2


def test_a_review_whose_case_was_opened_through_the_api_is_already_there(tmp_path, shop):
    open_review_case(shop, None, platform_review_id="R-1")

    out, _err = run(write(tmp_path, "export.csv", SAMPLE))

    assert "3 reviews imported (1 cases opened), 1 already there" in out
    assert Case.objects.filter(external_id="review:R-1").count() == 1


def test_ratings_may_be_the_platforms_labels(tmp_path, shop):
    run(write(tmp_path, "export.csv", HEADER + (
        "L-1,2026-03-01T10:00:00+08:00,,差评,坏了\n"
        "L-2,2026-03-01T10:00:00+08:00,,中评,一般\n"
        "L-3,2026-03-01T10:00:00+08:00,,好评,不错\n"
    )))

    ratings = dict(Review.objects.values_list("platform_review_id", "rating"))
    assert ratings == {"L-1": 1, "L-2": 3, "L-3": 5}
    assert Case.objects.count() == 2


def test_map_renames_the_columns(tmp_path, shop):
    path = write(tmp_path, "other.csv", "id,when,stars,content\n"
                                        "M-1,2026-05-01T08:00:00+08:00,2,盖子漏水\n")

    out, _err = run(path, map="review_id=id,posted_at=when,rating=stars,review_text=content")

    assert "1 reviews imported (1 cases opened)" in out
    review = Review.objects.get()
    assert (review.platform_review_id, review.rating, review.text, review.category) == (
        "M-1", 2, "盖子漏水", "")


def test_map_with_an_unknown_name_is_refused(tmp_path, shop):
    with pytest.raises(CommandError, match="--map"):
        run(write(tmp_path, "export.csv", SAMPLE), map="stars=rating")


def test_json_lines_are_read_from_the_extension_or_format(tmp_path, shop):
    lines = [
        {"review_id": "J-1", "posted_at": "2026-06-01T12:00:00+08:00", "category": "书籍",
         "rating": 2, "review_text": "缺页"},
        {"review_id": "J-2", "posted_at": "2026-06-02T12:00:00Z", "rating": "好评",
         "review_text": "值得一读"},
    ]
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n\n"

    out, _err = run(write(tmp_path, "export.jsonl", text))
    assert out.strip() == "2 rows: 2 reviews imported (1 cases opened), 0 already there, 0 bad"

    out, _err = run(write(tmp_path, "export.txt", text), shop="demo", format="jsonl")
    assert "2 already there" in out


def test_a_file_of_unknown_format_needs_format(tmp_path, shop):
    with pytest.raises(CommandError, match="--format"):
        run(write(tmp_path, "export.txt", SAMPLE))


def test_bad_json_lines_are_reported_with_their_line(tmp_path, shop):
    good = json.dumps({"review_id": "J-1", "posted_at": "2026-06-01T12:00:00+08:00", "rating": 1,
                       "review_text": "坏了"})
    _out, err = run(write(tmp_path, "export.jsonl", f"{good}\n{{not json\n[1, 2]\n"))

    assert "line 2: not JSON" in err
    assert "line 3: not a JSON object" in err
    assert Review.objects.count() == 1


def test_a_utf8_byte_order_mark_is_accepted(tmp_path, shop):
    out, _err = run(write(tmp_path, "export.csv", "\ufeff" + SAMPLE))

    assert "4 reviews imported" in out


def test_a_file_that_is_not_utf8_is_refused_before_anything_is_imported(tmp_path, shop):
    path = write(tmp_path, "export.csv", SAMPLE + "R-9,2026-03-05T10:00:00+08:00,杯子,1,太差了\n",
                 encoding="gb18030")

    with pytest.raises(CommandError, match=r"not UTF-8 text \(line 2") as error:
        run(path)

    assert "Nothing was imported" in str(error.value)
    assert not Review.objects.exists()


def test_missing_required_columns_are_named_before_anything_is_imported(tmp_path, shop):
    path = write(tmp_path, "export.csv", "review_id,category,review_text\nR-1,杯子,坏了\n")

    with pytest.raises(CommandError, match=r"Missing required column.*posted_at, rating"):
        run(path)

    assert not Review.objects.exists()


def test_category_is_optional(tmp_path, shop):
    out, _err = run(write(tmp_path, "export.csv", "review_id,posted_at,rating,review_text\n"
                                                  "R-1,2026-03-01T10:00:00+08:00,1,坏了\n"))

    assert "1 reviews imported" in out


@pytest.mark.parametrize("text", ["", "\ufeff", "\n"])
def test_an_empty_file_is_refused(tmp_path, shop, text):
    with pytest.raises(CommandError, match="empty"):
        run(write(tmp_path, "export.csv", text))


def test_an_empty_json_lines_file_is_refused(tmp_path, shop):
    with pytest.raises(CommandError, match="empty"):
        run(write(tmp_path, "export.jsonl", "\n"))


def test_a_header_without_rows_imports_nothing(tmp_path, shop):
    out, _err = run(write(tmp_path, "export.csv", HEADER))

    assert out.strip() == "0 rows: 0 reviews imported (0 cases opened), 0 already there, 0 bad"


def test_bad_rows_are_reported_with_line_and_reason_and_the_good_ones_imported(tmp_path, shop):
    path = write(tmp_path, "export.csv", HEADER + (
        "B-1,2026-03-01T10:00:00+08:00,杯子,1,好的一行\n"        # 2
        "B-2,2026-03-01T10:00:00+08:00,杯子,,没有评分\n"          # 3
        "B-3,2026-03-01T10:00:00+08:00,杯子,6,评分太高\n"         # 4
        "B-4,2026-03-01T10:00:00+08:00,杯子,great,评分是英文\n"   # 5
        "B-5,yesterday,杯子,2,时间看不懂\n"                       # 6
        "B-6,,杯子,2,没有时间\n"                                  # 7
        ",2026-03-01T10:00:00+08:00,杯子,2,没有编号\n"            # 8
        "B-1,2026-03-02T10:00:00+08:00,杯子,2,重复的编号\n"       # 9
        "B-7,2026-03-01T10:00:00+08:00,杯子,2,多了,一列\n"        # 10
        "B-8,2026-03-01T10:00:00+08:00,杯子,4\n"                  # 11: no text column
        "B-9,2026-03-01T10:00:00+08:00,杯子,4,好的另一行\n"       # 12
    ))

    out, err = run(path)

    assert out.strip() == "11 rows: 2 reviews imported (1 cases opened), 0 already there, 9 bad"
    assert err.splitlines() == [
        "line 3: missing rating",
        "line 4: invalid rating '6': give 1 to 5, or 好评, 中评 or 差评",
        "line 5: invalid rating 'great': give 1 to 5, or 好评, 中评 or 差评",
        "line 6: posted_at 'yesterday' is not an ISO 8601 time (like 2026-02-26T01:15:00+08:00)",
        "line 7: missing posted_at",
        "line 8: empty review id",
        "line 9: review id B-1 is a duplicate of line 2",
        "line 10: 6 fields, but the header has 5",
        "line 11: missing review_text",
    ]
    assert sorted(Review.objects.values_list("platform_review_id", flat=True)) == ["B-1", "B-9"]
    assert Review.objects.get(platform_review_id="B-1").text == "好的一行"


def test_only_the_first_bad_rows_are_listed_then_a_count(tmp_path, shop):
    rows = "".join(f"X-{n},2026-03-01T10:00:00+08:00,,0,评分为零\n" for n in range(25))

    out, err = run(write(tmp_path, "export.csv", HEADER + rows))

    assert len(err.splitlines()) == 21
    assert err.splitlines()[-1] == "… and 5 more bad rows."
    assert out.strip().endswith("25 bad")


def test_times_without_an_offset_are_in_the_shops_time_zone(tmp_path, shop):
    shop.time_zone = "Asia/Shanghai"
    shop.save()

    run(write(tmp_path, "export.csv", HEADER + "T-1,2026-03-01 10:00:00,,5,准时\n"))

    assert Review.objects.get().posted_at == datetime(2026, 3, 1, 2, 0, tzinfo=ZoneInfo("UTC"))


def test_an_unknown_shop_is_refused(tmp_path, shop):
    with pytest.raises(CommandError, match="No shop with the code 'nowhere'"):
        run(write(tmp_path, "export.csv", SAMPLE), shop="nowhere")


def test_a_missing_file_is_refused(tmp_path, shop):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "absent.csv")


def parsed(n: int) -> tuple[int, ParsedReview]:
    return n + 1, ParsedReview(platform_review_id=f"P-{n}", rating=1, text="坏了", category="",
                               posted_at=datetime(2026, 3, 1, tzinfo=ZoneInfo("UTC")))


def test_a_batch_that_fails_writes_nothing_and_the_batches_before_it_stay(shop, monkeypatch):
    real_bulk_create = Review.objects.bulk_create
    calls = []

    def fail_second_time(objs, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real_bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(Review.objects, "bulk_create", fail_second_time)

    with pytest.raises(RuntimeError):
        services.import_reviews(shop=shop, rows=[parsed(n) for n in range(4)], batch_size=2)

    assert sorted(Review.objects.values_list("platform_review_id", flat=True)) == ["P-0", "P-1"]
    assert Case.objects.count() == 2
    assert TimelineEvent.objects.count() == 2


def test_the_service_counts_good_and_bad_rows_across_batches(shop):
    rows = [parsed(n) for n in range(5)] + [(7, "empty review id")]

    report = services.import_reviews(shop=shop, rows=rows, batch_size=2)

    assert (report.rows, report.imported, report.cases_opened, report.already_there) == (6, 5, 5, 0)
    assert report.bad == [(7, "empty review id")]


@pytest.mark.skipif(not REAL_EXPORT.exists(),
                    reason=f"the real review export is not here ({REAL_EXPORT}); see shared/data/README.md")
def test_the_real_marketplace_export_imports_whole_and_only_once(shop):
    out, err = run(REAL_EXPORT, no_progress=True)

    assert out.strip() == "62774 rows: 62774 reviews imported (31046 cases opened), 0 already there, 0 bad"
    assert err == ""
    assert Review.objects.filter(shop=shop).count() == 62774
    assert Case.objects.filter(shop=shop, kind=Kind.NEGATIVE_REVIEW).count() == 31046
    assert Review.objects.filter(case__isnull=False).count() == 31046
    assert TimelineEvent.objects.filter(type="case_opened").count() == 31046
    # A review that threatens (投诉, 12315, 曝光 …) is flagged as it is imported: one event each.
    flagged = Case.objects.filter(shop=shop, flagged=True).count()
    assert TimelineEvent.objects.exclude(type="case_opened").count() == flagged
    assert TimelineEvent.objects.filter(type="threat_flagged").count() == flagged

    out, _err = run(REAL_EXPORT, no_progress=True)

    assert out.strip() == "62774 rows: 0 reviews imported (0 cases opened), 62774 already there, 0 bad"
    assert Review.objects.count() == 62774
