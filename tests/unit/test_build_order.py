"""The composition root builds a module after the exporters of the contracts it needs or uses,
keeps the declared order otherwise, and names modules that wait on each other."""

from __future__ import annotations

from typing import Any

import pytest

from brain.bootstrap import MODULES, MissingContract, build_order
from brain.kernel.admin_contracts import ContentAdmin, PaymentAdmin, WebhookAdmin
from brain.kernel.web import Wired
from brain.modules import Module, Parts, Services


def module(name: str, **declared: Any) -> Module[object]:
    def build(_services: Services) -> Parts[object]:
        return Parts(deps=object())

    return Module[object](name=name, build=build, dependency=Wired[object](name), **declared)


def names(modules: list[Module[Any]]) -> list[str]:
    return [m.name for m in modules]


def test_a_module_using_a_later_modules_export_is_built_after_it() -> None:
    dashboard = module("dashboard", uses=[PaymentAdmin, ContentAdmin])
    payments = module("payments", exports={PaymentAdmin: lambda deps: deps})
    content = module("content", exports={ContentAdmin: lambda deps: deps})
    other = module("other")
    ordered = build_order([dashboard, other, payments, content], set())
    assert names(ordered) == ["other", "payments", "content", "dashboard"]


def test_a_used_contract_nobody_exports_does_not_hold_the_build() -> None:
    dashboard = module("dashboard", uses=[WebhookAdmin])
    assert names(build_order([dashboard, module("other")], set())) == ["dashboard", "other"]


def test_modules_waiting_on_each_other_are_named() -> None:
    first = module("first", uses=[PaymentAdmin], exports={ContentAdmin: lambda deps: deps})
    second = module("second", needs=[ContentAdmin], exports={PaymentAdmin: lambda deps: deps})
    with pytest.raises(MissingContract, match="first, second"):
        build_order([first, second], set())


def test_the_platforms_dashboard_is_built_after_every_module_whose_contract_it_uses() -> None:
    ordered = names(build_order(list(MODULES), set()))
    assert ordered[-1] == "dashboard"
    dashboard = next(m for m in MODULES if m.name == "dashboard")
    exporters = {kind for m in MODULES for kind in m.exports}
    assert set(dashboard.uses) <= exporters
