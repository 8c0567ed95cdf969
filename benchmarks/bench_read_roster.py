"""Time read_roster on a 100,000-row × 20-column roster against bare calamine reading.

    .venv/bin/python benchmarks/bench_read_roster.py [ROWS]

The file is generated with xlsxwriter in a temporary directory (title rows, header, real Excel dates, text dates,
numeric card numbers and ids), so the figures include every normalisation path of a typical roster.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import python_calamine as pc
import xlsxwriter

from dangvien_cli.excel.roster import read_roster

HEADERS = [
    "STT", "Họ và tên", "Tên gọi khác", "Giới tính", "Ngày sinh", "Dân tộc", "Tôn giáo", "Quê quán",
    "Nơi ở hiện nay", "Số định danh cá nhân", "Số thẻ đảng viên", "Ngày vào Đảng", "Ngày chính thức", "Chi bộ",
    "Chức vụ", "Trình độ học vấn", "Chuyên môn", "Lý luận chính trị", "Nghề nghiệp", "Ghi chú",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Xuân", "Hữu", "Thanh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hương", "Lan", "Long", "Mai", "Nam", "Phương", "Quân",
         "Sơn", "Thắng", "Thảo", "Trang", "Tuấn", "Việt", "Yến"]


def make_file(path: Path, rows: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Danh sách")
    dfmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write(0, 0, "ĐẢNG BỘ XÃ THỬ NGHIỆM")
    ws.write(1, 0, "DANH SÁCH ĐẢNG VIÊN")
    for c, h in enumerate(HEADERS):
        ws.write(3, c, h)
    for i in range(rows):
        r = 4 + i
        birth = date(1940, 1, 1) + timedelta(days=rnd.randrange(0, 45 * 365))
        adm = birth + timedelta(days=rnd.randrange(18 * 366, 25 * 365))  # admitted at 18 or older (§1.1)
        off = adm + timedelta(days=365)
        ws.write_number(r, 0, i + 1)
        ws.write_string(r, 1, f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}")
        ws.write_string(r, 2, "")
        ws.write_string(r, 3, rnd.choice(("Nam", "Nữ")))
        if i % 3:
            ws.write_datetime(r, 4, birth, dfmt)
        else:
            ws.write_string(r, 4, birth.strftime("%d/%m/%Y"))
        ws.write_string(r, 5, rnd.choice(("Kinh", "Tày", "Nùng", "Mường")))
        ws.write_string(r, 6, rnd.choice(("Không", "Phật giáo", "Công giáo")))
        ws.write_string(r, 7, f"Xã Thử Nghiệm {i % 97}, tỉnh Mẫu")
        ws.write_string(r, 8, f"Thôn {i % 50}, xã Thử Nghiệm")
        ws.write_string(r, 9, f"{999000000000 + i:012d}")  # obviously synthetic ids
        ws.write_number(r, 10, 90000000 + i)
        ws.write_datetime(r, 11, adm, dfmt)
        ws.write_datetime(r, 12, off, dfmt)
        ws.write_string(r, 13, f"Chi bộ số {i % 40}")
        ws.write_string(r, 14, rnd.choice(("Đảng viên", "Bí thư chi bộ", "Phó bí thư", "Chi ủy viên")))
        ws.write_string(r, 15, rnd.choice(("12/12", "10/10", "9/12")))
        ws.write_string(r, 16, rnd.choice(("Đại học", "Cao đẳng", "Trung cấp", "Không")))
        ws.write_string(r, 17, rnd.choice(("Sơ cấp", "Trung cấp", "Cao cấp")))
        ws.write_string(r, 18, rnd.choice(("Nông dân", "Giáo viên", "Hưu trí", "Công chức")))
        ws.write_string(r, 19, "Dự bị" if i % 50 == 0 else "")
    wb.close()


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.xlsx"
        t0 = time.perf_counter()
        make_file(path, rows)
        print(f"generated {rows} rows × {len(HEADERS)} columns in {time.perf_counter() - t0:.1f} s "
              f"({path.stat().st_size / 1e6:.1f} MB)")

        # Wall time and CPU time: on a shared machine the CPU figure is the steadier one.
        t0, c0 = time.perf_counter(), time.process_time()
        grid = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        bare, bare_cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"calamine to_python:  {bare:.2f} s wall, {bare_cpu:.2f} s cpu ({len(grid)} rows)")
        del grid

        t0, c0 = time.perf_counter(), time.process_time()
        result = read_roster(path)
        full, full_cpu = time.perf_counter() - t0, time.process_time() - c0
        errors = sum(len(r.errors) for r in result.rows)
        print(f"read_roster:         {full:.2f} s wall, {full_cpu:.2f} s cpu "
              f"({len(result.rows)} rows, {errors} errors)")
        extra = full_cpu - bare_cpu
        print(f"normalisation cost:  {extra:.2f} s cpu ({extra / max(rows, 1) * 1e6:.1f} µs/row)")


if __name__ == "__main__":
    main()
