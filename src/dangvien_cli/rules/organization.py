"""Which kind of party organization may sit under which (domain.md §1.6, §8; the kinds and their labels are
vocab.ORG_KIND, contract.md KIND codes).

Plain data, imported by the services and by the bulk commands that must not load SQLAlchemy.
"""

from __future__ import annotations

# Which kind may sit under which (domain.md §1.6 and §8). None = at the top of this database's tree.
ALLOWED_PARENTS: dict[str, tuple[str | None, ...]] = {
    "province_committee": (None,),
    "commune_committee": (None, "province_committee"),
    "district_committee": (None, "province_committee"),
    "grassroots_committee": (None, "province_committee", "commune_committee", "district_committee"),
    "grassroots_cell": (None, "province_committee", "commune_committee", "district_committee"),
    "partial_committee": ("grassroots_committee",),
    "cell": ("commune_committee", "grassroots_committee", "partial_committee"),
    "party_group": ("cell", "grassroots_cell"),
}

# Members belong to these organizations; committees hold organizations, not members.
MEMBER_KINDS = ("cell", "grassroots_cell", "party_group")
