"""The report page's charts: each one the data its chart draws (sent with json_script, drawn by
static/pages/report_charts.js with Apache ECharts), its table with the same figures in words, a
link to the cases behind every bar, point, slice and row, and the rows of its CSV."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from cases.models import Remedy, State
from cases.reports.behind import review_causes
from cases.reports.weekly import Weekly
from cases.selectors import AGE_BUCKETS
from cases.templatetags.report_units import duration_words, percent

AGE_NAMES = {"under_1_day": _("Under 1 day"), "1_to_3_days": _("1 to 3 days"),
             "3_to_7_days": _("3 to 7 days"), "over_7_days": _("Over 7 days")}
# The backlog's ages from fresh to old: from calm to alarming.
AGE_COLOURS = ["#a6d8f0", "#fdd67a", "#f79009", "#d92d20"]


def behind(query: QueryDict, **figure: Any) -> str:
    """The address of the cases behind a figure: the page's filters and what was clicked."""
    params = query.copy()
    params.pop("group_by", None)
    for key, value in figure.items():
        params[key] = str(value)
    return f"{reverse('report_cases')}?{params.urlencode()}"


def week_name(monday: date) -> str:
    """A week by its Monday, short: "Nov 23", "11月23日"."""
    return formats.date_format(monday, str(WEEK_FORMAT))


# How a week's Monday is written on an axis: short in each language.
WEEK_FORMAT = _("M j")


def _cell(text: Any, value: Any = None, link: str = "") -> dict[str, Any]:
    return {"text": text, "value": text if value is None else value, "link": link}


def weekly_durations(name: str, metric: str, title: Any, note: Any, rows: dict, weeks: list[date],
                     query: QueryDict) -> dict[str, Any]:
    """Cases per week as bars, the median and 9 in 10 within as lines (hours on the axis, days and
    hours in the tooltip and the table)."""
    links = [behind(query, figure=metric, week=w) for w in weeks]
    found = [rows.get(w) for w in weeks]
    count = [r.count if r else 0 for r in found]
    median = [r.median_hours if r else None for r in found]
    p90 = [r.p90_hours if r else None for r in found]
    # the axis in days when the slowest week took more than two days, else in hours
    in_days = max([v for v in p90 if v is not None] + [0]) > 48
    series = [
        {"name": str(_("Cases")), "kind": "bar", "axis": 1, "values": count, "colour": "#d0d5dd",
         "texts": [str(n) for n in count], "links": links},
        {"name": str(_("Median")), "kind": "line", "values": _hours(median, in_days),
         "colour": "#1570ef", "texts": [duration_words(v) for v in median], "links": links},
        {"name": str(_("9 in 10 within")), "kind": "line", "values": _hours(p90, in_days),
         "colour": "#f79009", "texts": [duration_words(v) for v in p90], "links": links},
    ]
    return {
        "name": name, "title": title, "note": note, "type": "weekly",
        "axes": [str(_("Days") if in_days else _("Hours")), str(_("Cases"))],
        "categories": [week_name(w) for w in weeks], "series": series,
        "headers": [_("Week from"), _("Cases"), _("Median"), _("9 in 10 within")],
        "rows": [[_cell(week_name(w), w.isoformat(), links[i]), _cell(count[i], link=links[i]),
                  _cell(duration_words(median[i]), median[i]), _cell(duration_words(p90[i]), p90[i])]
                 for i, w in enumerate(weeks) if count[i]],
    }


def _hours(values: list[float | None], in_days: bool) -> list[float | None]:
    return [None if v is None else round(v / 24 if in_days else v, 1) for v in values]


def backlog(rows: list[dict[str, Any]], query: QueryDict) -> dict[str, Any]:
    """Open cases by state (bars) stacked by age (one colour per age, with a legend)."""
    order = {state: n for n, state in enumerate(State.values)}
    rows = sorted(rows, key=lambda r: order.get(r["state"], len(order)))  # the workflow's order
    states = [r["state"] for r in rows]
    labels = [State(s).label if s in State.values else s for s in states]
    series = [{"name": str(AGE_NAMES[name]), "kind": "bar", "stack": "age", "colour": colour,
               "values": [r[name] for r in rows], "texts": [str(r[name]) for r in rows],
               "links": [behind(query, figure="backlog", state=s, age=name) for s in states]}
              for (name, _low, _high), colour in zip(AGE_BUCKETS, AGE_COLOURS, strict=True)]
    return {
        "name": "backlog", "title": _("Open cases by state and age"),
        "note": _("The cases open now, by state and by how long ago they were opened. Click a "
                  "bar or a figure for its cases."),
        "type": "stacked", "axes": [str(_("Cases"))], "categories": [str(x) for x in labels],
        "table_below": True, "keyed": True,
        "series": series,
        "headers": [_("State"), _("Open"), *AGE_NAMES.values()],
        "rows": [[_cell(labels[i], states[i], behind(query, figure="backlog", state=s)),
                  _cell(rows[i]["total"], link=behind(query, figure="backlog", state=s)),
                  *[_cell(rows[i][name], link=behind(query, figure="backlog", state=s, age=name))
                    for name, _low, _high in AGE_BUCKETS]]
                 for i, s in enumerate(states)],
    }


def rates(series_of: Weekly, query: QueryDict) -> dict[str, Any]:
    """The refund rate and the share of negative reviews revised, per week (of the cases opened
    that week), as percentages."""
    weeks = series_of.weeks
    refunds = [series_of.refund_rate.get(w) for w in weeks]
    revised = [series_of.revised_share.get(w) for w in weeks]
    opened_links = [behind(query, figure="outcomes", week=w) for w in weeks]
    review_links = [behind(query, figure="reviews", week=w) for w in weeks]
    return {
        "name": "rates", "title": _("Refund rate and reviews revised"),
        "note": _("Of the cases opened each week: the money refunded of the money paid, and the "
                  "share of negative reviews the buyer revised."),
        "type": "rates", "axes": [str(_("Share"))], "table_below": True,
        "categories": [week_name(w) for w in weeks],
        "series": [
            {"name": str(_("Refunded of paid")), "kind": "line", "values": _percents(refunds),
             "colour": "#d92d20",
             "texts": [percent(v) for v in refunds], "links": opened_links},
            {"name": str(_("Reviews revised")), "kind": "line", "values": _percents(revised),
             "colour": "#12b76a",
             "texts": [percent(v) for v in revised], "links": review_links},
        ],
        "headers": [_("Week from"), _("Cases opened"), _("Refunded of paid"),
                    _("Negative reviews"), _("Reviews revised")],
        "rows": [[_cell(week_name(w), w.isoformat()),
                  _cell(series_of.opened.get(w, 0), link=opened_links[i]),
                  _cell(percent(refunds[i]), refunds[i]),
                  _cell(series_of.reviews.get(w, 0), link=review_links[i]),
                  _cell(percent(revised[i]), revised[i])]
                 for i, w in enumerate(weeks) if series_of.opened.get(w)],
    }


def _percents(values: list[float | None]) -> list[float | None]:
    return [None if v is None else round(v * 100, 1) for v in values]


def shares(name: str, title: Any, note: Any, counts: dict[str, int], names: dict[str, Any],
           figure: str, key: str, query: QueryDict) -> dict[str, Any]:
    """A whole split into its parts (remedies, causes), each part's count and share."""
    total = sum(counts.values())
    parts = [{"name": str(names.get(code, code)), "value": n, "text": f"{n} ({percent(n / total)})",
              "link": behind(query, figure=figure, **{key: code})} for code, n in counts.items()]
    return {
        "name": name, "title": title, "note": note, "type": "shares", "parts": parts, "keyed": True,
        "headers": [_("Remedy") if key == "remedy" else _("Cause"), _("Cases"), _("Share")],
        "rows": [[_cell(p["name"], code, p["link"]), _cell(n, link=p["link"]),
                  _cell(percent(n / total), round(n / total, 4))]
                 for p, (code, n) in zip(parts, counts.items(), strict=True)],
    }


def charts(series: Weekly, backlog_rows: list[dict[str, Any]], query: QueryDict
           ) -> list[dict[str, Any]]:
    """Every chart of the page, in the order it shows them; `data` is what its script draws."""
    found = [
        weekly_durations("resolution", "resolution-time", _("Time to resolve, per week"),
                         _("Cases resolved each week (bars) and how long they took from opening: "
                           "the median and nine cases in ten (lines)."),
                         series.resolution, series.weeks, query),
        weekly_durations("first-response", "first-response-time",
                         _("Time to the first reply, per week"),
                         _("Cases answered each week (bars) and how long the buyer waited for the "
                           "first reply: the median and nine cases in ten (lines)."),
                         series.first_response, series.weeks, query),
        backlog(backlog_rows, query),
        rates(series, query),
        shares("remedies", _("Remedies chosen"),
               _("Of the cases opened in the range that have a remedy: which one."),
               series.remedies, dict(Remedy.choices), "outcomes", "remedy", query),
        shares("causes", _("Causes of negative reviews"),
               _("Of the negative reviews opened in the range: what caused them."),
               series.causes, dict(review_causes()), "reviews", "cause", query),
    ]
    return [finish(chart) for chart in found]


def finish(chart: dict[str, Any]) -> dict[str, Any]:
    """A chart ready for the page: where its table goes, the id of its data and the data its
    script draws (`ranges`: an axis's lowest and highest value, e.g. 1 to 5 stars)."""
    chart.setdefault("table_below", False)
    chart["json_id"] = f"chart-data-{chart['name']}"
    chart["data"] = {key: chart[key] for key in ("type", "axes", "ranges", "categories", "series",
                                                 "parts") if key in chart}
    return chart


def csv_rows(chart: dict[str, Any]) -> list[list[Any]]:
    """A chart's table for a spreadsheet: its headers, then the values (hours, shares of one). A
    chart of keys (states, remedies, causes) gives each row's key for machines and, beside it, its
    name in the reader's language."""
    headers = [str(h) for h in chart["headers"]]
    rows = [[c["value"] if c["value"] is not None else "" for c in row] for row in chart["rows"]]
    if chart.get("keyed"):
        headers[:1] = [str(KEY_HEADER % {"name": headers[0]}), headers[0]]
        rows = [[row[0], str(cells[0]["text"]), *row[1:]]
                for row, cells in zip(rows, chart["rows"], strict=True)]
    return [headers, *rows]


# The header of a key column beside the column of the names people read.
KEY_HEADER = _("%(name)s (code)")
