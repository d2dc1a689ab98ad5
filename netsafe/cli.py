"""The `netsafe` command line. Each command is a few lines calling library
functions; user-facing errors become exit codes here, in one place."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from typing import Annotated

import typer

from netsafe.errors import NetsafeError
from netsafe.settings import PROJECT_DIR, get_settings

app = typer.Typer(
    help="Kho dữ liệu báo cáo phòng, chống vi phạm pháp luật và tội phạm trên mạng Internet. "
    "/ Reporting warehouse for online law violations and crime.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
def build(
    demo_if_empty: Annotated[
        bool,
        typer.Option(help="Nạp dữ liệu mẫu nếu kho thô trống / load demo data when raw is empty."),
    ] = False,
) -> None:
    """Xây dựng kho dữ liệu bằng dbt / build the warehouse with dbt (seeds, models, tests)."""
    from netsafe import build as build_module
    from netsafe import demo

    settings = get_settings()
    build_module.build(settings)
    if demo_if_empty and demo.raw_submission_count(settings) == 0:
        summary = demo.generate(settings)
        typer.echo(
            f"Đã nạp dữ liệu mẫu / demo data landed: {summary.submissions} báo cáo / submissions "
            f"({summary.first_period} → {summary.last_period})"
        )
        build_module.build(settings)


@app.command("demo")
def demo_command(
    until: Annotated[
        str | None,
        typer.Option(help="Ngày cuối (YYYY-MM-DD), mặc định hôm nay / last date, default today."),
    ] = None,
) -> None:
    """Nạp bộ dữ liệu mẫu vào kho thô trống / land the demo data set into an empty raw landing."""
    from netsafe import build as build_module
    from netsafe import demo, warehouse

    settings = get_settings()
    if not warehouse.exists(settings):
        build_module.build(settings)
    summary = demo.generate(settings, date.fromisoformat(until) if until else None)
    typer.echo(
        f"Đã nạp / landed {summary.submissions} báo cáo / submissions "
        f"({summary.accepted} hợp lệ / accepted, {summary.rejected} bị từ chối / rejected), "
        f"{summary.indicator_values} giá trị chỉ tiêu / indicator values, "
        f"{summary.incident_rows} dòng vụ việc / incident rows, "
        f"{summary.first_period} → {summary.last_period}. "
        "Chạy `netsafe build` để cập nhật kho / run `netsafe build` to publish."
    )


@app.command()
def status() -> None:
    """Tóm tắt nội dung kho dữ liệu / summarise what the warehouse holds."""
    from netsafe import status as status_module

    settings = get_settings()
    typer.echo(status_module.render(status_module.collect(settings), settings))


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Cổng / port")] = 8501,
) -> None:
    """Mở bảng điều khiển Streamlit / serve the Streamlit dashboard."""
    app_path = PROJECT_DIR / "dashboards" / "streamlit_app.py"
    typer.echo(f"Bảng điều khiển / dashboard: http://localhost:{port}")
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_path),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    raise typer.Exit(subprocess.call(command, cwd=PROJECT_DIR, env=dict(os.environ)))


def main() -> None:
    try:
        app()
    except NetsafeError as error:
        typer.echo(f"Lỗi: {error.vi}\nError: {error.en}", err=True)
        sys.exit(error.exit_code)


if __name__ == "__main__":
    main()
