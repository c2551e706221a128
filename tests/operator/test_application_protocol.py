"""Every application supplies the whole Application protocol (offchain/core/application.py): what
the core asks of Perpetual it asks of Spot, and of a third application, by the same names."""
import inspect

import pytest

from offchain.core.application import Application
from offchain.perpetual.application import PERPETUAL
from offchain.spot.application import SpotApplication

MEMBERS = sorted(set(Application.__annotations__) | {
    name for name, value in vars(Application).items() if not name.startswith("_") and callable(value)})


@pytest.mark.parametrize("application", [PERPETUAL, SpotApplication()], ids=lambda a: a.name)
def test_an_application_supplies_every_member_of_the_protocol(application):
    missing = [name for name in MEMBERS if not hasattr(application, name)]
    assert not missing, f"{application.name} lacks {missing}"
    for name in MEMBERS:
        declared = getattr(Application, name, None)
        if callable(declared):
            wanted = [p for p in inspect.signature(declared).parameters if p != "self"]
            got = list(inspect.signature(getattr(application, name)).parameters)
            assert got == wanted, f"{application.name}.{name}{tuple(got)} is not the protocol's {tuple(wanted)}"
    # The roles never overlap with what only the watcher makes.
    sendable = application.user_signed_types | application.exchange_types | application.price_types
    assert not sendable & application.l1_made_types
    assert application.forced_types <= application.l1_made_types
