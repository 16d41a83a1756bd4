"""Tests for rtaprotocol.transfers: bulk claim transfers between Claims Portal organisations."""

from __future__ import annotations

import importlib.resources
import json
from datetime import date
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import golden_errors
from rtaprotocol.errors import InvalidInput, OutOfCoverageError, RulesError, RulesTypeError
from rtaprotocol.transfers import (
    MIN_BULK_TRANSFER_CLAIMS,
    OrganisationType,
    ThirdParty,
    TransferRequest,
    check_transfer,
)

SCHEMA = (
    importlib.resources.files("rtaprotocol") / "data" / "schemas" / "transfer-request.schema.json"
)

GOOD: dict[str, Any] = {
    "from_organisation": "compensator",
    "to_organisation": "compensator",
    "claim_count": 100,
    "transfer_date": "2024-03-01",
    "third_parties": [
        {"name": "Smith & Co", "notified_on": "2024-02-01", "notified_by": "transferring"},
        {"name": "Jones LLP", "notified_on": "2024-02-29", "notified_by": "receiving"},
    ],
    "portal_contacted": True,
}


def check(**changes: Any):
    return check_transfer(TransferRequest.from_dict({**GOOD, **changes}))


def test_a_good_request_is_allowed_with_nothing_to_report():
    result = check()
    assert result.allowed
    assert result.codes == ()
    assert result.must_notify == ()
    assert "Transfer allowed" in str(result)


def test_different_organisation_types_refused():
    result = check(to_organisation="claimant-representative")
    assert not result.allowed
    assert result.codes == ("different_organisation_types",)
    assert "compensator cannot transfer claims to a claimant representative" in (
        result.refusals[0].message
    )


@pytest.mark.parametrize("count", [1, MIN_BULK_TRANSFER_CLAIMS - 1])
def test_fewer_than_100_claims_is_a_warning_not_a_refusal(count):
    """Claims Portal home page (seed 000): the process "is designed to transfer 100 claims,
    or more and is not suitable for transferring individual claims": words of design and
    suitability, unlike the "only possible" (organisation types) and "must" (contact, notify)
    of its bars, so fewer than 100 claims is warned about, never refused: the claims still
    have a way to move (issue 23)."""
    result = check(claim_count=count)
    assert result.allowed
    assert result.codes == ("fewer_than_100_claims",)
    assert result.refusals == ()
    assert "helpdesk" in result.warnings[0].message
    assert "not suitable for individual claims" in result.warnings[0].message
    assert check(claim_count=MIN_BULK_TRANSFER_CLAIMS).codes == ()


@pytest.mark.parametrize(
    ("contacted", "code"),
    [(False, "portal_not_contacted"), (None, "portal_contact_not_recorded")],
)
def test_no_contact_with_claims_portal_ltd_is_refused(contacted, code):
    """Claims Portal home page (seed 000): "you must contact us as soon as possible to
    discuss your organisation's requirements": a request that has not contacted Claims
    Portal Ltd, or does not say it has, is not allowed (issue 23); contact recorded is."""
    result = check(portal_contacted=contacted)
    assert not result.allowed
    assert result.codes == (code,)
    assert result.refusals[0].code == code
    assert "must contact them as soon as possible" in result.refusals[0].message
    assert "Transfer refused" in str(result)
    assert check(portal_contacted=True).allowed


def test_no_notification_recorded_refused():
    assert check(third_parties=[]).codes == ("no_notification_recorded",)


def test_unnotified_and_late_third_parties_are_listed():
    result = check(
        third_parties=[
            {"name": "A", "notified_on": "2024-02-01", "notified_by": "receiving"},
            {"name": "B"},
            {"name": "C", "notified_on": "2024-03-01", "notified_by": "receiving"},
        ]
    )
    assert result.codes == ("third_party_not_notified", "third_party_notified_too_late")
    assert [p.name for p in result.must_notify] == ["B", "C"]
    assert "must notify" in str(result)


def test_warnings():
    """Warnings do not bar a transfer: a notification without its notifier, fewer than 100."""
    result = check(
        claim_count=5,
        third_parties=[{"name": "A", "notified_on": "2024-02-01"}],
    )
    assert result.allowed
    assert result.codes == ("notifier_not_recorded", "fewer_than_100_claims")


def test_several_problems_at_once():
    result = check(
        to_organisation="claimant-representative",
        claim_count=1,
        third_parties=[{"name": "B"}],
        portal_contacted=False,
    )
    assert result.codes == (
        "different_organisation_types",
        "portal_not_contacted",
        "no_notification_recorded",
        "third_party_not_notified",
        "fewer_than_100_claims",
    )
    data = json.loads(json.dumps(result.to_dict()))
    assert data["allowed"] is False
    assert len(data["refusals"]) == 4
    assert len(data["warnings"]) == 1
    assert data["must_notify"] == [{"name": "B", "notified_on": None, "notified_by": None}]


def test_constructor_and_round_trip():
    req = TransferRequest(
        from_organisation=OrganisationType.CLAIMANT_REPRESENTATIVE,
        to_organisation="claimant-representative",
        claim_count=500,
        transfer_date=date(2024, 3, 1),
        third_parties=[ThirdParty("Insurer plc", date(2024, 1, 2), "receiving")],
        portal_contacted=True,
    )
    assert TransferRequest.from_dict(json.loads(json.dumps(req.to_dict()))) == req
    assert check_transfer(req).allowed


def test_every_input_problem_reported():
    with pytest.raises(InvalidInput) as info:
        TransferRequest.from_dict(
            {
                "from_organisation": "broker",
                "to_organisation": 3,
                "claim_count": 0,
                "transfer_date": "2024-02-30",
                "third_parties": [{"name": "", "notified_on": "x", "notified_by": "me", "z": 1}, 7],
                "portal_contacted": "yes",
                "extra": True,
            }
        )
    fields = [p.field for p in info.value.problems]
    assert fields == [
        "$.extra",
        "$.from_organisation",
        "$.to_organisation",
        "$.claim_count",
        "$.transfer_date",
        "$.portal_contacted",
        "$.third_parties[0].z",
        "$.third_parties[0].name",
        "$.third_parties[0].notified_on",
        "$.third_parties[0].notified_by",
        "$.third_parties[1]",
    ]


def test_other_input_errors():
    with pytest.raises(RulesTypeError):
        TransferRequest.from_dict([])  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        TransferRequest.from_dict({**GOOD, "third_parties": "A"})
    with pytest.raises(InvalidInput) as info:
        TransferRequest.from_dict({**GOOD, "transfer_date": "1999-01-01"})
    assert isinstance(info.value.problems[0], OutOfCoverageError)
    with pytest.raises(InvalidInput):
        TransferRequest(
            from_organisation="compensator",
            to_organisation="compensator",
            claim_count=100,
            transfer_date="2024-03-01",  # type: ignore[arg-type]
        )
    with pytest.raises(RulesError):
        check_transfer(GOOD)  # type: ignore[arg-type]


def test_schema_agrees():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(GOOD, schema, format_checker=jsonschema.FormatChecker())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**GOOD, "claim_count": 0}, schema)


_PARTIES = st.lists(
    st.builds(
        dict,
        name=st.sampled_from(["A", "B", "C", "D"]),
        notified_on=st.none() | st.sampled_from(["2024-02-01", "2024-03-01", "2024-04-01"]),
        notified_by=st.none() | st.sampled_from(["transferring", "receiving"]),
    ),
    max_size=5,
)


@given(_PARTIES, st.randoms(use_true_random=False))
def test_third_party_order_does_not_change_the_answer(parties, rnd):
    shuffled = list(parties)
    rnd.shuffle(shuffled)
    a = check(third_parties=parties)
    b = check(third_parties=shuffled)
    assert a.allowed == b.allowed
    assert sorted(a.codes) == sorted(b.codes)
    assert sorted(p.name for p in a.must_notify) == sorted(p.name for p in b.must_notify)


@given(_PARTIES, st.integers(1, 300), st.booleans())
def test_adding_an_unnotified_party_never_allows_a_transfer(parties, count, same_type):
    to = "compensator" if same_type else "claimant-representative"
    before = check(third_parties=parties, claim_count=count, to_organisation=to)
    after = check(third_parties=[*parties, {"name": "Z"}], claim_count=count, to_organisation=to)
    assert not after.allowed
    assert set(before.codes) - {"no_notification_recorded"} <= set(after.codes)
    assert before.allowed == (
        same_type and bool(parties) and all(p["notified_on"] == "2024-02-01" for p in parties)
    )


# --------------------------------------------------------------------------- every refusal

_REQ: dict[str, Any] = {
    "from_organisation": "compensator",
    "to_organisation": "compensator",
    "claim_count": 100,
    "transfer_date": date(2024, 3, 1),
}


def _doc(**changes: Any) -> dict[str, Any]:
    return {**GOOD, **changes}


def _without(key: str) -> dict[str, Any]:
    return {k: v for k, v in GOOD.items() if k != key}


#: Every way a transfer request is refused, named after the rule that refuses it: the
#: transfer-request schema (from a file) or the Claims Portal's transfer process (in code).
ERRORS = {
    "from_dict of a list": lambda: TransferRequest.from_dict([GOOD]),  # type: ignore[arg-type]
    "unknown key": lambda: TransferRequest.from_dict(_doc(colour="red")),
    "from organisation missing": lambda: TransferRequest.from_dict(_without("from_organisation")),
    "to organisation missing": lambda: TransferRequest.from_dict(_without("to_organisation")),
    "organisation not one of the two types": lambda: TransferRequest.from_dict(
        _doc(to_organisation="insurer")
    ),
    "claim count missing": lambda: TransferRequest.from_dict(_without("claim_count")),
    "claim count zero": lambda: TransferRequest.from_dict(_doc(claim_count=0)),
    "claim count a string": lambda: TransferRequest.from_dict(_doc(claim_count="100")),
    "claim count true (a bool is not a count)": lambda: TransferRequest.from_dict(
        _doc(claim_count=True)
    ),
    "claim count a float": lambda: TransferRequest.from_dict(_doc(claim_count=100.0)),
    "transfer date missing": lambda: TransferRequest.from_dict(_without("transfer_date")),
    "transfer date no such day": lambda: TransferRequest.from_dict(
        _doc(transfer_date="2024-02-30")
    ),
    "transfer date not ten characters": lambda: TransferRequest.from_dict(
        _doc(transfer_date="2024-3-1")
    ),
    "transfer date a number": lambda: TransferRequest.from_dict(_doc(transfer_date=20240301)),
    "transfer date outside the supported range": lambda: TransferRequest.from_dict(
        _doc(transfer_date="2101-01-01")
    ),
    "portal contacted not a flag": lambda: TransferRequest.from_dict(_doc(portal_contacted="yes")),
    "third parties a string": lambda: TransferRequest.from_dict(_doc(third_parties="A")),
    "third parties an object": lambda: TransferRequest.from_dict(_doc(third_parties={"name": "A"})),
    "third parties a number": lambda: TransferRequest.from_dict(_doc(third_parties=3)),
    "a third party not an object": lambda: TransferRequest.from_dict(_doc(third_parties=["A"])),
    "a third party's name over 2,000 characters": lambda: TransferRequest.from_dict(
        _doc(third_parties=[{"name": "N" * 2001, "notified_on": "2024-02-01"}])
    ),
    "a third party with an unknown key": lambda: TransferRequest.from_dict(
        _doc(third_parties=[{"name": "A", "email": "a@example.com"}])
    ),
    "a third party without a name": lambda: TransferRequest.from_dict(
        _doc(third_parties=[{"notified_on": "2024-02-01"}])
    ),
    "a third party with a blank name": lambda: TransferRequest.from_dict(
        _doc(third_parties=[{"name": "  "}])
    ),
    "a third party notified on no such day": lambda: TransferRequest.from_dict(
        _doc(third_parties=[{"name": "A", "notified_on": "2024-02-30"}])
    ),
    "a third party notified outside the supported range": lambda: TransferRequest.from_dict(
        _doc(third_parties=[{"name": "A", "notified_on": "1999-12-31"}])
    ),
    "a third party notified by neither organisation": lambda: TransferRequest.from_dict(
        _doc(third_parties=[{"name": "A", "notified_on": "2024-02-01", "notified_by": "broker"}])
    ),
    "the second third party's problem has its index": lambda: TransferRequest.from_dict(
        _doc(third_parties=[{"name": "A"}, {"name": ""}])
    ),
    # every problem at once: a party that is not an object does not hide the next one's
    "a third party not an object, then one without a name": lambda: TransferRequest.from_dict(
        _doc(third_parties=[7, {"name": ""}])
    ),
    # In code: the same checks, dates as datetime.date.
    "constructor transfer date a string": lambda: TransferRequest(
        **{**_REQ, "transfer_date": "2024-03-01"}
    ),
    "constructor transfer date outside the supported range": lambda: TransferRequest(
        **{**_REQ, "transfer_date": date(1999, 12, 31)}
    ),
    "constructor claim count zero": lambda: TransferRequest(**{**_REQ, "claim_count": 0}),
    "constructor organisation unknown": lambda: TransferRequest(
        **{**_REQ, "from_organisation": "insurer"}
    ),
    "constructor third party notified on a string": lambda: TransferRequest(
        **_REQ,
        third_parties=[ThirdParty("A", "2024-02-01", "receiving")],  # type: ignore[arg-type]
    ),
    "constructor third party with a blank name": lambda: TransferRequest(
        **_REQ, third_parties=[ThirdParty(" ")]
    ),
    "constructor third party notified by a broker": lambda: TransferRequest(
        **_REQ, third_parties=[ThirdParty("A", date(2024, 2, 1), "broker")]
    ),
    "constructor third parties not a list": lambda: TransferRequest(
        **_REQ,
        third_parties="A",  # type: ignore[arg-type]
    ),
    "constructor portal contacted not a flag": lambda: TransferRequest(
        **_REQ,
        portal_contacted=1,  # type: ignore[arg-type]
    ),
    "check_transfer of something else": lambda: check_transfer(GOOD),  # type: ignore[arg-type]
}


def test_every_refusal_matches_its_golden_file():
    """Each refusal names the value, the field (a JSON path) and the rule."""
    golden_errors.check("transfers", ERRORS)


def test_a_third_party_built_in_code_with_a_string_date_is_refused_not_crashed():
    """Regression: ThirdParty("A", "2024-02-01") in code gave a raw AttributeError.

    A notification date is a date (the Claims Portal's rule: third parties are notified
    before the transfer date, so the date is compared); a string is refused as a
    RulesTypeError naming the third party's path, like every other bad field.
    """
    with pytest.raises(InvalidInput) as info:
        TransferRequest(
            **_REQ,
            third_parties=[ThirdParty("A", "2024-02-01", "receiving")],  # type: ignore[arg-type]
        )
    (problem,) = info.value.problems
    assert isinstance(problem, RulesTypeError)
    assert problem.field == "$.third_parties[0].notified_on"
    assert problem.value == "2024-02-01"


def test_third_parties_and_portal_contact_are_optional_in_a_file():
    """transfer-request schema: only the organisations, the count and the date are
    required; no third parties recorded is then refused by the transfer rule itself (the
    Portal notifies third parties only at the time of transfer)."""
    req = TransferRequest.from_dict(
        {
            k: GOOD[k]
            for k in ("from_organisation", "to_organisation", "claim_count", "transfer_date")
        }
    )
    assert (req.third_parties, req.portal_contacted) == ((), None)
    assert check_transfer(req).codes == ("portal_contact_not_recorded", "no_notification_recorded")


def test_a_third_party_name_is_kept_without_surrounding_spaces():
    """The name is what the notice and the must-notify list show: spaces around it are
    not part of it."""
    req = TransferRequest.from_dict({**GOOD, "third_parties": [{"name": "  Smith & Co "}]})
    assert req.third_parties == (ThirdParty("Smith & Co"),)
    assert check_transfer(req).must_notify[0].name == "Smith & Co"


def test_from_dict_reads_json_only_not_third_party_objects():
    """from_dict is the door for files (the transfer-request schema): a third party there
    is a JSON object, so a ThirdParty value is refused as not an object."""
    with pytest.raises(InvalidInput) as info:
        TransferRequest.from_dict({**GOOD, "third_parties": [ThirdParty("A")]})
    assert [(p.field, p.message) for p in info.value.problems] == [
        ("$.third_parties[0]", "a third party is an object")
    ]


def test_the_constructor_reads_third_parties_as_objects_or_mappings_of_dates():
    """In code a third party is a ThirdParty or a mapping, with dates as datetime.date."""
    req = TransferRequest(
        **_REQ,
        third_parties=[
            ThirdParty("A", date(2024, 2, 1), "receiving"),
            {"name": "B", "notified_on": date(2024, 2, 2), "notified_by": "transferring"},  # type: ignore[list-item]
        ],
    )
    assert req.third_parties == (
        ThirdParty("A", date(2024, 2, 1), "receiving"),
        ThirdParty("B", date(2024, 2, 2), "transferring"),
    )
    assert check_transfer(req).codes == ("portal_contact_not_recorded",)


def test_request_json_is_the_shape_from_dict_reads():
    """to_dict gives every key of the transfer-request schema, dates as ISO strings."""
    req = TransferRequest.from_dict(GOOD)
    assert req.to_dict() == GOOD
    assert ThirdParty("A").to_dict() == {"name": "A", "notified_on": None, "notified_by": None}
