"""TitleList (domain/myvod/lists.py): given events, when a command, then events or an error."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.myvod.ids import title_id_for
from domain.myvod.lists import (
    ListNotFound,
    NotAMember,
    NotListOwner,
    TitleAlreadyListed,
    TitleList,
    TitleNotListed,
    share_hash,
)
from domain.shared.errors import InvalidInput
from tests.support.decider import given, then

AT = datetime(2026, 12, 8, 20, 0, tzinfo=UTC)
OWNER, MEMBER, STRANGER = uuid4(), uuid4(), uuid4()


def created() -> TitleList:
    return TitleList.create(uuid4(), OWNER, "  Friday   films ", AT)


def listed(*tmdb_ids: int, then_: tuple[Callable[[TitleList], object], ...] = ()) -> TitleList:
    """Given a list holding these titles, after these further commands."""
    adds = [lambda a, t=t: a.add_title(OWNER, t, title_id_for(t), AT) for t in tmdb_ids]
    return given(created(), *adds, *then_)


def test_a_new_list_has_a_tidy_name() -> None:
    assert given(created()).name == "Friday films"


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_a_list_without_a_usable_name_is_refused(name: str) -> None:
    with pytest.raises(InvalidInput):
        TitleList.create(uuid4(), OWNER, name, AT)


def test_titles_are_listed_in_order_and_once() -> None:
    titles = listed(7, 8)
    titles.add_title(OWNER, 9, title_id_for(9), AT)
    assert then(titles) == ["TitleListed"]
    assert titles.order == [7, 8, 9]
    with pytest.raises(TitleAlreadyListed):
        titles.add_title(OWNER, 7, title_id_for(7), AT)


def test_moving_a_title_ranks_it_and_the_same_place_records_nothing() -> None:
    titles = listed(7, 8, 9)
    assert titles.move_title(OWNER, 9, 0)
    assert then(titles) == ["TitleMoved"]
    assert titles.order == [9, 7, 8]
    assert not titles.move_title(OWNER, 9, 0)
    assert then(titles) == []
    later = listed(7, 8, 9, then_=(lambda t: t.move_title(OWNER, 9, 0),))
    later.move_title(OWNER, 7, 2)
    assert later.order == [9, 8, 7]


@pytest.mark.parametrize("position", [-1, 3])
def test_a_move_out_of_the_list_is_refused(position: int) -> None:
    with pytest.raises(InvalidInput):
        listed(7, 8, 9).move_title(OWNER, 7, position)


def test_tags_are_cleaned_and_replaced_and_go_with_the_title() -> None:
    titles = listed(7)
    assert titles.tag_title(OWNER, 7, ["Date night", "date night", "  comfort "])
    assert then(titles) == ["TitleTagged"]
    assert titles.tags == {"7": ["date night", "comfort"]}
    assert not titles.tag_title(OWNER, 7, ["date night", "comfort"])
    titles.remove_title(OWNER, 7)
    assert then(titles) == ["TitleUnlisted"]
    assert titles.tags == {}


@pytest.mark.parametrize("tags", [["<b>"], [""], ["x" * 31], [f"t{i}" for i in range(11)]])
def test_bad_tags_are_refused(tags: list[str]) -> None:
    with pytest.raises(InvalidInput):
        listed(7).tag_title(OWNER, 7, tags)


def test_a_title_not_on_the_list_cannot_be_moved_tagged_or_removed() -> None:
    titles = listed(7)
    for command in (
        lambda: titles.move_title(OWNER, 8, 0),
        lambda: titles.tag_title(OWNER, 8, ["x"]),
        lambda: titles.remove_title(OWNER, 8),
    ):
        with pytest.raises(TitleNotListed):
            command()


def test_a_stranger_does_not_see_the_list_at_all() -> None:
    with pytest.raises(ListNotFound):
        listed(7).add_title(STRANGER, 8, title_id_for(8), AT)


def test_a_household_member_edits_but_only_the_owner_shares_renames_or_deletes() -> None:
    titles = listed(7, then_=(lambda t: t.add_member(OWNER, MEMBER),))
    titles.add_title(MEMBER, 8, title_id_for(8), AT)
    titles.move_title(MEMBER, 8, 0)
    assert then(titles) == ["TitleListed", "TitleMoved"]
    for command in (
        lambda: titles.share(MEMBER, share_hash("s"), AT),
        lambda: titles.rename(MEMBER, "Mine now"),
        lambda: titles.delete(MEMBER, AT),
        lambda: titles.add_member(MEMBER, STRANGER),
    ):
        with pytest.raises(NotListOwner):
            command()
    assert then(titles) == []


def test_a_member_may_leave_but_not_remove_others() -> None:
    other = uuid4()
    titles = listed(
        7, then_=(lambda t: t.add_member(OWNER, MEMBER), lambda t: t.add_member(OWNER, other))
    )
    with pytest.raises(NotListOwner):
        titles.remove_member(MEMBER, other)
    titles.remove_member(MEMBER, MEMBER)
    assert then(titles) == ["MemberRemoved"]
    assert not titles.can_edit(MEMBER)
    with pytest.raises(NotAMember):
        titles.remove_member(OWNER, MEMBER)


def test_adding_a_member_twice_records_once_and_the_owner_is_no_member() -> None:
    titles = listed(7, then_=(lambda t: t.add_member(OWNER, MEMBER),))
    assert not titles.add_member(OWNER, MEMBER)
    assert then(titles) == []
    with pytest.raises(InvalidInput):
        titles.add_member(OWNER, OWNER)


def test_sharing_records_only_the_hash_and_a_new_link_replaces_the_old() -> None:
    titles = listed(7)
    titles.share(OWNER, share_hash("first secret"), AT)
    titles.share(OWNER, share_hash("second secret"), AT)
    events = [e for e in titles.collect_events()]
    assert "first secret" not in repr(events)
    assert titles.share_hash == share_hash("second secret")
    assert titles.revoke_share(OWNER, AT)
    assert then(titles) == ["ShareLinkRevoked"]
    assert not titles.revoke_share(OWNER, AT)
    with pytest.raises(InvalidInput):
        titles.share(OWNER, "not a digest", AT)


def test_a_deleted_list_is_gone_for_everyone_and_its_link_with_it() -> None:
    titles = listed(
        7,
        then_=(
            lambda t: t.add_member(OWNER, MEMBER),
            lambda t: t.share(OWNER, share_hash("s"), AT),
        ),
    )
    titles.delete(OWNER, AT)
    assert then(titles) == ["Deleted"]
    assert titles.share_hash is None
    with pytest.raises(ListNotFound):
        titles.add_title(MEMBER, 8, title_id_for(8), AT)
