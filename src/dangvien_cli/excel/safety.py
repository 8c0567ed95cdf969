"""Nothing exposed or half-written leaves the tool: files others could read, temporary copies of the roster
left behind. (CSV cells a spreadsheet would run are neutralised by ``cli/output.csv_cell``.)

- :func:`output_file` is where every workbook is written: a private folder (0700) made beside the target holds
  the file and every temporary file of the writer; the finished file is made 0600 and moved onto the target in
  one step; the folder is removed on every way out (error, Ctrl-C). A full disk or a folder without write
  permission becomes one Vietnamese message (exit 1).
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dangvien_cli.errors import InvalidValue

FILE_MODE = 0o600


def _cannot_write(path: Path, exc: BaseException) -> InvalidValue:
    """The clerk's message for an OSError (or xlsxwriter's FileCreateError wrapping one)."""
    cause = exc
    while not isinstance(cause, OSError) and cause.__cause__ is not None:
        cause = cause.__cause__
    code = getattr(cause, "errno", None)
    if code is None and exc.args and isinstance(exc.args[0], OSError):
        code = exc.args[0].errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return InvalidValue(f"Không ghi được tệp {path.name}: ổ đĩa đã đầy.",
                            hint=f"Giải phóng chỗ trống trên ổ chứa {path.parent}, hoặc ghi sang ổ khác "
                                 "(ví dụ một USB), rồi chạy lại lệnh.")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return InvalidValue(f"Không ghi được tệp {path.name}: không có quyền ghi vào thư mục {path.parent}.",
                            hint="Chọn thư mục khác (ví dụ thư mục Tài liệu của bạn), hoặc đóng tệp nếu "
                                 "nó đang mở trong Excel, rồi chạy lại lệnh.")
    if code == errno.ENAMETOOLONG:
        why = "tên tệp quá dài"
    elif code in (errno.ENOENT, errno.ENOTDIR, errno.EINVAL):
        why = f"thư mục {path.parent} không cho tạo tệp mới"
    else:
        why = f"hệ điều hành báo lỗi {errno.errorcode.get(code, code) if code else type(exc).__name__}"
    return InvalidValue(f"Không ghi được tệp {path.name}: {why}.",
                        hint="Chọn thư mục khác (ví dụ thư mục Tài liệu của bạn) rồi chạy lại lệnh.")


def check_target(path: Path, example: str, suffix: str = ".xlsx") -> Path:
    """Refuse a target that cannot be written before any work is done."""
    path = Path(path)
    if path.suffix.lower() != suffix:
        raise InvalidValue(f"Tệp '{path.name}' phải có đuôi {suffix}.", hint=f"Ví dụ: {example}")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InvalidValue(f"Thư mục {parent} không tồn tại.", hint="Tạo thư mục trước, hoặc chọn thư mục khác.")
    if path.is_dir():
        raise InvalidValue(f"'{path}' là một thư mục, không phải tệp.", hint=f"Ví dụ: {example}")
    return path


@contextmanager
def output_file(path: Path) -> Iterator[tuple[Path, Path]]:
    """Yield (file to write, private temporary folder); on success the file becomes ``path`` (0600).

    Whatever happens inside (an exception, Ctrl-C, a full disk), nothing is left beside the target and the
    target itself is untouched unless the whole file was written.
    """
    path = Path(path)
    try:
        work = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        inner = work / path.name
        try:
            yield inner, work
            os.chmod(inner, FILE_MODE)
            os.replace(inner, path)
        except OSError as exc:
            raise _cannot_write(path, exc) from None
        except Exception as exc:
            if _is_file_error(exc):
                raise _cannot_write(path, exc) from None
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _is_file_error(exc: BaseException) -> bool:
    """xlsxwriter wraps the OSError of a failed close in FileCreateError (not an OSError itself)."""
    return type(exc).__name__ in ("FileCreateError", "FileSizeError") or isinstance(exc.__cause__, OSError)
