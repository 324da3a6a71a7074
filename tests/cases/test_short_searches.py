"""A search of one or two characters (a two-character Chinese given name, two letters of a
handle) finds what a longer one would, and on PostgreSQL reads the index of each value's one- and
two-character pieces instead of every case (migration 0025; docs/BENCHMARKS.md)."""

from __future__ import annotations

import pytest
from django.db import connection

from cases.models import Case, Customer, Kind
from cases.selectors import _part_of, search_condition
from tests.cases.cases_api import CASES, ids
from tests.factories import open_case


@pytest.fixture
def buyers(shop, agent):
    """Three buyers: 张晓明 (tea_lover_88), 王小明 (Ming_W), 李华 (lihua)."""
    return {name: open_case(shop, by=agent, customer={"handle": handle, "name": name})
            for name, handle in [("张晓明", "tea_lover_88"), ("王小明", "Ming_W"),
                                 ("李华", "lihua")]}


@pytest.mark.parametrize("typed, found", [
    ("晓明", {"张晓明"}),
    ("明", {"张晓明", "王小明"}),
    ("华", {"李华"}),
    ("mi", {"王小明"}),        # part of a handle, in any case of letters
    ("MI", {"王小明"}),
    ("Li", {"李华"}),
    ("_", {"张晓明", "王小明"}),  # a sign is a character like any other
    ("8", {"张晓明"}),
    ("xy", set()),
])
def test_one_or_two_characters_find_every_buyer_whose_name_or_handle_holds_them(
    api, agent, buyers, typed, found
):
    assert ids(api(agent).get(CASES, {"search": typed})) == {buyers[n].pk for n in found}


@pytest.mark.parametrize("typed", ["明", "晓明", "mi", "Mi", "_8", "ß", "İ"])
def test_the_pieces_find_the_same_rows_as_a_plain_contains(db, shop, buyers, typed):
    Customer.objects.create(shop=shop, handle="straße_İstanbul")

    assert set(_part_of(Customer.objects.all(), "handle", typed)) == set(
        Customer.objects.filter(handle__icontains=typed))
    assert set(_part_of(Case.objects.all(), "buyer_name", typed)) == set(
        Case.objects.filter(buyer_name__icontains=typed))


@pytest.fixture
def a_shop_of_thousands(shop, buyers):
    """Five thousand other buyers beside the three, and the planner's statistics read afresh (the
    statistics earlier tests left would otherwise decide the plan)."""
    customers = Customer.objects.bulk_create(
        Customer(shop=shop, handle=f"buyer_{n:05d}") for n in range(5000))
    Case.objects.bulk_create(Case(shop=shop, kind=Kind.REFUND, customer=customer,
                                  buyer_name=f"顾客{n}号") for n, customer in enumerate(customers))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case; ANALYZE cases_customer")
    return buyers


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan of PostgreSQL")
def test_a_two_character_name_is_read_from_the_pieces_indexes_not_every_buyer(db, a_shop_of_thousands):
    found = Case.objects.filter(search_condition("晓明")).values("pk")

    plan = found.explain()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        every_part_indexed = found.explain()
        cursor.execute("RESET enable_seqscan")

    # the planner picks the pieces' indexes by itself; how it then joins the few ids it found to
    # the cases (a hash over the table or one look-up each) is its choice by the table's size
    assert "case_buyer_name_grams" in plan and "customer_handle_grams" in plan
    assert "Seq Scan on cases_customer" not in plan
    # and every part of the search has an index to be read through
    assert "Seq Scan" not in every_part_indexed
