"""The kinds of party organization and which may sit under which (domain.md §1.6, §8, contract.md KIND codes).

Plain data, imported by the services and by the bulk commands that must not load SQLAlchemy.
"""

from __future__ import annotations

KINDS: dict[str, str] = {
    "province_committee": "Đảng bộ tỉnh / Tỉnh ủy",
    "commune_committee": "Đảng bộ xã, phường, đặc khu (trực thuộc tỉnh)",
    "district_committee": "Huyện ủy (trước 1/7/2025)",
    "grassroots_committee": "Đảng bộ cơ sở",
    "grassroots_cell": "Chi bộ cơ sở",
    "partial_committee": "Đảng bộ bộ phận",
    "cell": "Chi bộ trực thuộc",
    "party_group": "Tổ đảng",
}

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

UNIT_TYPES: dict[str, str] = {
    "village": "Thôn, bản, tổ dân phố",
    "residential_group": "Khu dân cư",
    "agency": "Cơ quan",
    "school": "Trường học",
    "state_enterprise": "Doanh nghiệp nhà nước",
    "private_enterprise": "Doanh nghiệp tư nhân",
    "military": "Quân đội",
    "police": "Công an",
    "other": "Khác",
}

# Members belong to these organizations; committees hold organizations, not members.
MEMBER_KINDS = ("cell", "grassroots_cell", "party_group")
