"""The `netsafe` command line. Each command is a few lines calling library
functions; user-facing errors become exit codes here, in one place."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from netsafe import services
from netsafe.build import die_with_parent
from netsafe.dates import parse_day, parse_moment
from netsafe.errors import NetsafeError, environment_failure
from netsafe.settings import PROJECT_DIR, get_settings, restrict_new_files

# `--build/--no-build` on every command that changes raw landing
Rebuild = Annotated[
    bool, typer.Option(help="Cập nhật kho sau đó / rebuild the warehouse afterwards (--no-build: later)")
]

# `--actor` on every command that changes something: who, for the audit trail
Actor = Annotated[
    str | None,
    typer.Option(
        help="Người thực hiện (mặc định NETSAFE_ACTOR hoặc người dùng hệ thống) / who acts, for the audit"
    ),
]

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
    full_refresh: Annotated[
        bool, typer.Option(help="Xây dựng lại toàn bộ, không tăng dần / rebuild everything from scratch")
    ] = False,
) -> None:
    """Xây dựng kho dữ liệu bằng dbt / build the warehouse with dbt (seeds, models, tests)."""
    _, summary = services.build_warehouse(
        get_settings(), full_refresh=full_refresh, demo_if_empty=demo_if_empty
    )
    if summary:
        typer.echo(
            f"Đã nạp dữ liệu mẫu / demo data landed: {summary.submissions} báo cáo / submissions "
            f"({summary.first_period} → {summary.last_period})"
        )


@app.command("demo")
def demo_command(
    until: Annotated[
        str | None,
        typer.Option(help="Ngày cuối (YYYY-MM-DD), mặc định hôm nay / last date, default today."),
    ] = None,
    scale: Annotated[
        int,
        typer.Option(min=1, help="Nhân số đơn vị và địa bàn N lần (đo hiệu năng) / copies of the province"),
    ] = 1,
) -> None:
    """Nạp bộ dữ liệu mẫu vào kho thô trống / land the demo data set into an empty raw landing."""
    summary = services.load_demo(get_settings(), parse_day(until, "--until") if until else None, scale)
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
    typer.echo(services.status_text(get_settings()))


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Cổng / port")] = 8501,
    host: Annotated[
        str,
        typer.Option(
            help="Địa chỉ lắng nghe (mặc định chỉ máy này) / address to listen on (default: this machine)"
        ),
    ] = "127.0.0.1",
    with_worker: Annotated[
        bool,
        typer.Option(
            "--worker/--no-worker",
            help="Chạy kèm tiến trình xây dựng thường trực / also run the build worker",
        ),
    ] = True,
) -> None:
    """Mở bảng điều khiển Streamlit / serve the Streamlit dashboard."""
    from netsafe import access, worker

    signed_in = access.sign_in_configured()
    if not access.is_loopback(host) and not signed_in:
        raise NetsafeError(
            f"Không mở bảng điều khiển trên {host} khi chưa cấu hình đăng nhập. " + access.SIGN_IN_HOWTO[0],
            f"Refusing to serve on {host} without sign-in. " + access.SIGN_IN_HOWTO[1],
        )
    app_path = PROJECT_DIR / "dashboards" / "streamlit_app.py"
    shown = "localhost" if access.is_loopback(host) else host
    typer.echo(f"Bảng điều khiển / dashboard: http://{shown}:{port}")
    typer.echo(
        "Đăng nhập / sign-in: " + ("bật / on" if signed_in else "tắt, chỉ máy này / off, this machine only")
    )
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
        "--server.address",
        host,
    ]
    if signed_in:
        command += ["--secrets.files", str(access.auth_secrets_path())]
    settings = get_settings()
    if with_worker and not worker.alive(settings):
        # builds after an upload go to a worker that keeps dbt warm; it stops
        # with the server (the kernel signals it when this process ends)
        settings.ensure_dirs()
        subprocess.Popen(
            [sys.executable, "-m", "netsafe.cli", "worker"],
            env=dict(os.environ),
            stdout=open(settings.build_dir / "worker.log", "a", encoding="utf-8"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,
        )
    # streamlit replaces this process: stopping `netsafe serve` stops the server
    sys.stdout.flush()
    os.chdir(PROJECT_DIR)
    os.execve(sys.executable, command, dict(os.environ))


@app.command()
def template(
    period: Annotated[str, typer.Option(help="Mã kỳ, ví dụ 2024-Q3 / period code")],
    agency: Annotated[str | None, typer.Option(help="Mã đơn vị / agency code")] = None,
    all_agencies: Annotated[
        bool, typer.Option("--all", help="Mọi đơn vị phải báo cáo kỳ này / every expected agency")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Tệp (một đơn vị) hoặc thư mục (--all) / file or dir"),
    ] = None,
) -> None:
    """Tạo mẫu Excel cho đơn vị điền / write Excel templates for agencies to fill."""
    if all_agencies == (agency is not None):
        raise NetsafeError(
            "Chọn một trong hai: --agency MÃ hoặc --all.", "Give exactly one of --agency CODE or --all."
        )
    paths = services.write_templates(get_settings(), period, agency, output)
    if agency:
        typer.echo(f"Đã tạo mẫu / template written: {paths[0]}")
    else:
        typer.echo(f"Đã tạo {len(paths)} mẫu trong / wrote {len(paths)} templates to {paths[0].parent}")


@app.command()
def ingest(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Tệp .xlsx, .csv, thư mục hoặc tệp .zip của chúng / files, folders or a .zip of them",
            exists=True,
        ),
    ],
    received_at: Annotated[
        str | None, typer.Option(help="Ngày nhận YYYY-MM-DD (mặc định: hôm nay) / date received")
    ] = None,
    channel: Annotated[str, typer.Option(help="email|paper|upload|api")] = "upload",
    feedback: Annotated[
        Path | None, typer.Option(help="Thư mục ghi tệp phản hồi cho tệp bị từ chối / feedback dir")
    ] = None,
    build: Rebuild = True,
    actor: Actor = None,
) -> None:
    """Nhận báo cáo của đơn vị / ingest agencies' submissions."""
    run = services.ingest_files(
        get_settings(),
        services.files_from(files),
        received_on=parse_day(received_at, "--received-at") if received_at else None,
        channel=channel,
        rebuild=build,
        by=services.cli_acting(actor),
    )
    for outcome in run.outcomes:
        typer.echo(services.describe_outcome(outcome))
        if feedback and outcome.status == "rejected":
            typer.echo(f"    → phản hồi / feedback: {services.write_feedback(feedback, outcome)}")
    if run.any_rejected:
        raise typer.Exit(1)


@app.command("void")
def void(
    submission_id: Annotated[
        str, typer.Argument(help="Mã phiên bản (xem `netsafe submissions`) / version id")
    ],
    reason: Annotated[str, typer.Option(help="Lý do rút / why it is withdrawn")],
    actor: Annotated[
        str | None, typer.Option(help="Người rút (mặc định NETSAFE_ACTOR hoặc người dùng hệ thống) / who")
    ] = None,
    build: Rebuild = True,
) -> None:
    """Rút một phiên bản báo cáo đã nhận / withdraw a landed submission version."""
    settings = get_settings()
    services.withdraw_submission(settings, submission_id, reason, actor=actor, rebuild=build)
    typer.echo(
        f"Đã rút phiên bản {submission_id}; số liệu dùng phiên bản hợp lệ trước đó (nếu có). / "
        f"Version {submission_id} withdrawn; the figures use the previous accepted version, if any."
    )


@app.command()
def submissions(
    period: Annotated[str | None, typer.Option(help="Mã kỳ / period code")] = None,
    agency: Annotated[str | None, typer.Option(help="Mã đơn vị / agency code")] = None,
) -> None:
    """Liệt kê các phiên bản báo cáo đã nhận / list received submission versions."""
    typer.echo(services.submissions_text(get_settings(), period, agency))


@app.command()
def check(
    period: Annotated[
        str | None, typer.Option(help="Mã kỳ (mặc định: quý gần nhất đã kết thúc) / period code")
    ] = None,
) -> None:
    """Kiểm tra chất lượng dữ liệu / run the data quality checks."""
    report = services.run_check(get_settings(), period)
    typer.echo(services.render_check(report))
    if report.has_errors:
        raise typer.Exit(1)


@app.command()
def report(
    period: Annotated[str, typer.Option(help="Mã kỳ, ví dụ 2024-Q3 / period code")],
    out: Annotated[Path | None, typer.Option(help="Thư mục chép tệp ra / copy the files here")] = None,
    number: Annotated[str | None, typer.Option(help="Số văn bản, ví dụ 12 / document number")] = None,
    signer: Annotated[str, typer.Option(help="Người ký / signer's name")] = "",
    report_date: Annotated[
        str | None, typer.Option("--date", help="Ngày báo cáo YYYY-MM-DD (mặc định hôm nay) / report date")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            help="Tái tạo theo dữ liệu đã có tại thời điểm này / regenerate as known at this moment"
        ),
    ] = None,
    proposals: Annotated[
        Path | None,
        typer.Option(help="Tệp văn bản mục V, mỗi dòng một ý / section V text, one item per line"),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Vẫn lập khi số liệu mâu thuẫn (được ghi lại) / write even if figures contradict (recorded)",
        ),
    ] = False,
    actor: Actor = None,
) -> None:
    """Lập báo cáo tổng hợp gửi Bộ (DOCX + phụ lục XLSX) / produce the consolidated report.

    Báo cáo mang ngày D dùng số liệu đã nhận đến hết ngày D / a report dated D
    uses the data received by the end of D."""
    cut = parse_moment(as_of, "--as-of") if as_of else None
    options = services.report_options(
        # reproducing a report: by default it bears the day of its data cut
        parse_day(report_date, "--date") if report_date else (cut.date() if cut else None),
        number=number,
        signer=signer,
        force=force,
        proposals=[
            line.strip() for line in proposals.read_text(encoding="utf-8").splitlines() if line.strip()
        ]
        if proposals
        else None,
    )
    result = services.generate_report(
        get_settings(),
        period,
        options,
        out_dir=out,
        as_of=cut,
        by=services.cli_acting(actor),
    )
    typer.echo(f"Báo cáo / report: {result.docx_path}")
    typer.echo(f"Phụ lục / annex:  {result.xlsx_path}")
    typer.echo(f"Mã băm số liệu / figures SHA-256: {result.figures_sha256}")
    typer.echo(f"Dữ liệu tính đến / data as of: {result.as_of:%Y-%m-%d %H:%M:%S}")


@app.command()
def reminders(
    period: Annotated[str, typer.Option(help="Mã kỳ / period code")],
    out: Annotated[Path, typer.Option(help="Thư mục ghi công văn / output dir")] = Path("cong_van_don_doc"),
    combined: Annotated[
        bool, typer.Option(help="Một công văn gửi tất cả đơn vị / one letter addressed to all")
    ] = False,
    letter_date: Annotated[str | None, typer.Option("--date", help="Ngày công văn YYYY-MM-DD")] = None,
    number: Annotated[str | None, typer.Option(help="Số công văn / letter number")] = None,
    signer: Annotated[str, typer.Option(help="Người ký / signer")] = "",
    include_not_due: Annotated[
        bool, typer.Option(help="Cả đơn vị chưa đến hạn / also agencies whose deadline is still ahead")
    ] = False,
    actor: Actor = None,
) -> None:
    """Công văn đôn đốc đơn vị chưa gửi báo cáo / reminder letters for missing reports."""
    settings = get_settings()
    options = services.reminder_options(
        parse_day(letter_date, "--date") if letter_date else None,
        number=number,
        signer=signer,
        include_not_due=include_not_due,
    )
    targets = services.reminder_targets(
        settings, period, include_not_due=include_not_due, on=options.letter_date
    )
    typer.echo(services.render_reminder_targets(targets))
    for path in services.write_reminders(
        settings, period, options, out, combined=combined, rows=targets, by=services.cli_acting(actor)
    ):
        typer.echo(f"→ {path}")


@app.command()
def approve(
    period: Annotated[str, typer.Option(help="Mã kỳ / period code")],
    actor: Actor = None,
) -> None:
    """Phê duyệt kỳ: chốt số liệu / approve a period, pinning its data cut and figures."""
    approval = services.approve_period(get_settings(), period, by=services.cli_acting(actor))
    typer.echo(
        f"Đã phê duyệt kỳ {period} / period {period} approved: số liệu đến / data cut "
        f"{approval.cut_at:%Y-%m-%d %H:%M:%S}; mã băm số liệu / figures SHA-256 {approval.figures_sha256}"
    )


@app.command()
def reopen(
    period: Annotated[str, typer.Option(help="Mã kỳ / period code")],
    reason: Annotated[str, typer.Option(help="Lý do mở lại / why it is reopened")],
    actor: Actor = None,
) -> None:
    """Mở lại kỳ đã phê duyệt / reopen an approved period (the files received since count again)."""
    services.reopen_period(get_settings(), period, reason, by=services.cli_acting(actor))
    typer.echo(f"Đã mở lại kỳ {period} / period {period} reopened.")


@app.command("grant-roles")
def grant_roles(
    reader: Annotated[str, typer.Option(help="Vai trò chỉ đọc các mart / role that only reads the marts")],
    intake: Annotated[str, typer.Option(help="Vai trò chỉ ghi thêm vào raw / role that only appends to raw")],
) -> None:
    """PostgreSQL: cấp quyền tối thiểu / grant least privilege to the reader and intake roles."""
    services.grant_database_roles(get_settings(), reader, intake)
    typer.echo(
        f"Đã cấp quyền / granted: {reader} (đọc marts / reads marts), {intake} (ghi raw / appends to raw). "
        "Đặt NETSAFE_PG_READER_USER và NETSAFE_PG_INTAKE_USER cho bảng điều khiển / "
        "set them for the dashboard."
    )


@app.command()
def approvals() -> None:
    """Tình trạng phê duyệt các kỳ / approval state of the periods."""
    typer.echo(services.approvals_text(get_settings()))


@app.command()
def audit(
    period: Annotated[str | None, typer.Option(help="Mã kỳ / period code")] = None,
    actor: Annotated[str | None, typer.Option(help="Người thực hiện / actor")] = None,
) -> None:
    """Nhật ký thao tác / the audit trail."""
    typer.echo(services.audit_text(get_settings(), period, actor))


users_app = typer.Typer(help="Người dùng và vai trò / users and roles", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    email: Annotated[
        str, typer.Argument(help="Thư điện tử (định danh đăng nhập) / e-mail (sign-in identity)")
    ],
    role: Annotated[str, typer.Option(help="leader|analyst|steward|reporter|admin")],
    agency: Annotated[
        str | None, typer.Option(help="Mã đơn vị (cán bộ đầu mối) / agency (reporters)")
    ] = None,
    actor: Actor = None,
) -> None:
    """Thêm hoặc đổi vai trò người dùng / grant a role."""
    user = services.add_user(get_settings(), email, role, agency, by=services.cli_acting(actor))
    typer.echo(f"{user.identity}: {user.role}" + (f" ({user.agency_code})" if user.agency_code else ""))


@users_app.command("remove")
def users_remove(
    email: Annotated[str, typer.Argument(help="Thư điện tử / e-mail")],
    actor: Actor = None,
) -> None:
    """Xóa người dùng / revoke a user."""
    services.remove_user(get_settings(), email, by=services.cli_acting(actor))
    typer.echo(f"Đã xóa / removed: {email}")


@users_app.command("list")
def users_list() -> None:
    """Danh sách người dùng / list users."""
    typer.echo(services.users_text(get_settings()))


@app.command("worker")
def worker_command() -> None:
    """Tiến trình xây dựng thường trực / the build worker.

    Giữ dbt và manifest trong bộ nhớ, nhận yêu cầu xây dựng qua hàng đợi trên
    đĩa; các yêu cầu cùng chờ được một lần xây dựng phục vụ. `netsafe serve`
    tự chạy tiến trình này / keeps dbt and its manifest warm and answers build
    requests from a queue on disk; `netsafe serve` starts it."""
    import threading

    from netsafe import worker

    settings = get_settings()
    stop = threading.Event()
    worker.stop_on_signals(stop)
    typer.echo(f"Tiến trình xây dựng đang chạy / build worker running: {settings.data_dir}")
    worker.serve(settings, stop)


registry_app = typer.Typer(
    help="Danh mục đơn vị báo cáo (UBND cấp xã từ 1/7/2025) / the registry of reporters", no_args_is_help=True
)
app.add_typer(registry_app, name="registry")


@registry_app.command("import")
def registry_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV UTF-8, tiêu đề / header: agency_code,name_vi,name_en,statistical_region_code,"
            "valid_from,valid_to,note"
        ),
    ],
    actor: Actor = None,
) -> None:
    """Nhập danh mục UBND cấp xã do tỉnh ban hành / import the province's list of commune committees.

    Mỗi dòng một UBND cấp xã: mã, tên, vùng thống kê (huyện cũ) nơi xã thuộc về,
    ngày bắt đầu (từ 1/7/2025) / one row per commune committee: code, names, the
    statistical region (former district) it lies in, valid_from. Một dòng sai thì
    không nhập gì / one wrong row and nothing is imported."""
    result = services.import_registry(get_settings(), file, by=services.cli_acting(actor))
    typer.echo(
        f"Đã nhập / imported: {result.added} mới / new, {result.replaced} cập nhật / replaced "
        f"(tệp / file sha256 {result.file_sha256[:12]}…); kho dữ liệu đã cập nhật / warehouse rebuilt."
    )


def main() -> None:
    """User-facing errors and environment failures become a bilingual message
    and an exit code here, never a traceback."""
    restrict_new_files()
    try:
        app()
    except NetsafeError as error:
        typer.echo(f"Lỗi: {error.vi}\nError: {error.en}", err=True)
        sys.exit(error.exit_code)
    except OSError as error:
        failure = environment_failure(error)
        typer.echo(f"Lỗi: {failure.vi}\nError: {failure.en}", err=True)
        sys.exit(failure.exit_code)
    except KeyboardInterrupt:
        typer.echo("Đã dừng / stopped.", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
