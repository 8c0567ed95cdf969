"""dangvien — quản lý đảng viên cho văn phòng cấp ủy."""

__version__ = "0.1.0"
