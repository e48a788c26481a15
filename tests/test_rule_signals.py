"""A lower app's write asks the funding app to keep its rules by a signal (README, "Code
layout"); a rule with nobody to keep it must not pass silently."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from funding import receivers
from partners.models import Participation, participation_moving
from projects.models import (
    FundingSource,
    Project,
    funding_source_kind_changing,
)
from urbact_portal.lib.signals import RuleSignal


@pytest.mark.parametrize(
    ("signal", "sender", "receiver"),
    [
        (participation_moving, Participation, receivers.refuse_moving_a_partner_with_budgets),
        (funding_source_kind_changing, FundingSource, receivers.plans_broken_by_kind),
    ],
)
def test_the_funding_app_keeps_each_rule_a_lower_app_asks_for(signal, sender, receiver):
    assert signal.has_listeners(sender)
    assert receiver in [ref() for _key, ref, *_ in signal.receivers]


def test_a_rule_nobody_keeps_is_refused_rather_than_passed():
    lonely = RuleSignal("lonely_rule")
    with pytest.raises(ImproperlyConfigured, match="lonely_rule"):
        lonely.send(Project, project=None)
