"""Build the 江临市 city-operations sample database (示例): ``python data/cityops/build.py [OUT] [--seed N]``.

The generator lives in ``agents.cityops.build`` so the tools can build it on first use; this script and
``shuzhi data build-cityops`` are the same call. The same seed always gives the same bytes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from agents.cityops import DEFAULT_SEED, build_cityops, default_database


def main() -> None:
    parser = argparse.ArgumentParser(description="生成江临市城市运行示例数据库（示例，数据虚构）")
    parser.add_argument("out", nargs="?", type=Path, default=default_database(), help="SQLite file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    summary = build_cityops(args.out, args.seed)
    print(f"{summary.path}: " + ", ".join(f"{table} {count}" for table, count in summary.rows.items()))


if __name__ == "__main__":
    main()
