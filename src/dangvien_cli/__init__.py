"""dangvien — quản lý đảng viên cho văn phòng cấp ủy."""

import sys as _sys

__version__ = "0.1.0"

_previous_hook = _sys.excepthook


def _interrupted_while_loading(kind, value, tb):  # noqa: ANN001 - sys.excepthook's signature
    """Ctrl-C while the program is still loading (before a command has opened anything): say so in Vietnamese
    and exit 130 like an interrupted command, instead of a Python traceback. Every command's own interrupts
    are handled by the error seam (cli/app.py), which knows whether its work was saved."""
    if issubclass(kind, KeyboardInterrupt):
        import os

        _sys.stderr.write("Lỗi: Đã dừng theo yêu cầu. Không có gì được ghi.\n")
        _sys.stderr.flush()
        os._exit(130)
    _previous_hook(kind, value, tb)


_sys.excepthook = _interrupted_while_loading
