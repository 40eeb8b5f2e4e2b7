#!/usr/bin/env python3
"""Build ``src/jianbao_nlp/resources/ner/divisions.tsv`` (China's administrative divisions).

Source: the ``adcodes.csv`` table shipped in the PyPI package ``cpca`` 0.5.5 (MIT licence,
https://github.com/DQinYuan/chinese_province_city_area_mapper), which lists the province,
prefecture and county level divisions with their 12-digit codes. The script fetches the wheel
with ``pip download`` (PyPI only) unless ``--adcodes`` points at the CSV already, and derives
the level, parent and short forms (四川省 -> 四川, 凉山彝族自治州 -> 凉山州 / 凉山, 荣昌区 -> 荣昌).

    python scripts/build_gazetteer.py [--adcodes PATH/adcodes.csv] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "jianbao_nlp" / "resources" / "ner"

# ethnic-group names used in autonomous-division names (the 56 nationalities, minus 汉)
ETHNIC = ("蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
          "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 "
          "裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺").split()
ETHNIC_RE = "(?:" + "|".join(sorted(ETHNIC, key=len, reverse=True)) + ")族"
AUTO_RE = re.compile(f"(?:{ETHNIC_RE})+自治(州|县|旗|区)$")
# stripped short forms that are ordinary words or too generic to stand for a place
GENERIC_SHORT = set("城区 新区 郊区 矿区 市区 东区 西区 南区 北区 中区 开发 高新 经开 新城 老城 城关 市中 示范 "
                    "和平 长安 朝阳 东方 永安 新华 胜利 解放 团结 幸福 安定 光明 红旗 向阳 前进 新兴 复兴 "
                    "平安 和顺 永和 太平 建设 青年 中心 城中 城东 城西 城南 城北 河东 河西 江北 江南".split())


def fetch_adcodes(tmp: Path) -> str:
    subprocess.run([sys.executable, "-m", "pip", "download", "cpca==0.5.5", "--no-deps", "-q", "-d", str(tmp)],
                   check=True)
    wheel = next(tmp.glob("cpca-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        return z.read("cpca/resources/adcodes.csv").decode("utf-8")


def level_of(code: str) -> int:
    if code[2:6] == "0000":
        return 1
    if code[4:6] == "00":
        return 2
    return 3


def short_forms(name: str, level: int) -> list[str]:
    out: list[str] = []
    if name == "新疆维吾尔自治区":  # the only autonomous region named without 族
        return ["新疆"]
    m = AUTO_RE.search(name)
    if m:
        stem = name[: m.start()]
        if len(stem) >= 2:
            out.append(stem)
            if m.group(1) == "州":
                out.append(stem + "州")
            elif m.group(1) == "县":
                out.append(stem + "县")
        return out
    for suf in ("特别行政区", "自治区", "地区", "林区", "省", "市", "盟", "区", "县", "旗", "州"):
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            stem = name[: -len(suf)]
            if level == 1:
                # 广西壮族自治区 handled above; 内蒙古自治区 -> 内蒙古
                out.append(stem)
            elif stem not in GENERIC_SHORT:
                out.append(stem)
            break
    return out


def build(csv_text: str) -> list[tuple[str, str, int, str, str]]:
    rows = []
    for rec in csv.DictReader(io.StringIO(csv_text)):
        code, name = rec["adcode"][:6], rec["name"].strip()
        if not name or name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        lvl = level_of(code)
        if lvl == 1:
            parent = ""
        elif lvl == 2:
            parent = code[:2] + "0000"
        else:
            parent = code[:4] + "00"
        rows.append((code, name, lvl, parent, "|".join(short_forms(name, lvl))))
    codes = {r[0] for r in rows}
    # county-level units directly under a province (省直辖县级市) have no prefecture row
    rows = [(c, n, l, (p if (not p or p in codes) else c[:2] + "0000"), s) for c, n, l, p, s in rows]
    rows.sort()
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--adcodes", type=Path, help="cpca's adcodes.csv (fetched from PyPI when absent)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if args.adcodes:
        text = args.adcodes.read_text(encoding="utf-8")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            text = fetch_adcodes(Path(tmp))
    rows = build(text)
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "divisions.tsv", "w", encoding="utf-8") as f:
        f.write("# China's administrative divisions (province=1, prefecture=2, county=3).\n")
        f.write("# Source: adcodes.csv of the PyPI package cpca 0.5.5 (MIT licence, "
                "https://github.com/DQinYuan/chinese_province_city_area_mapper).\n")
        f.write("# Built by scripts/build_gazetteer.py; short forms derived by rule.\n")
        f.write("adcode\tname\tlevel\tparent\tshort\n")
        for row in rows:
            f.write("\t".join(map(str, row)) + "\n")
    print(f"wrote {len(rows)} divisions to {args.out / 'divisions.tsv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
