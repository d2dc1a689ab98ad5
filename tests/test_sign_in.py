"""Sign-in through a real OpenID Connect provider (node's oidc-provider,
started here on 127.0.0.1) in headless Chromium: `netsafe serve` with an
[auth] section, Streamlit's own st.login, and the roles of netsafe users.
Nothing about the signed-in user is mocked."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from netsafe import access, approvals, services, warehouse
from netsafe.store import open_store
from tests.intake_helpers import fill_template
from tests.test_browser import CHROMIUM, SCREENSHOT_DIR, free_port

ROOT = Path(__file__).resolve().parent.parent
OIDC_DIR = ROOT / "tests" / "oidc"
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
    pytest.mark.skipif(NODE is None, reason="Node.js is not installed"),
]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer")


@pytest.fixture(scope="module")
def provider():
    """The OpenID provider, installed from npm (package-lock.json) on first use."""
    if not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=OIDC_DIR,
            check=True,
            timeout=300,
        )
    port, app_port = free_port(), free_port()
    client = {"id": "netsafe-dashboard", "secret": secrets.token_urlsafe(24)}
    redirect = f"http://127.0.0.1:{app_port}/oauth2callback"
    proc = subprocess.Popen(
        [NODE, "provider.mjs", str(port), client["id"], client["secret"], redirect],
        cwd=OIDC_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    issuer = f"http://127.0.0.1:{port}"
    wait_for(f"{issuer}/.well-known/openid-configuration")
    yield {"issuer": issuer, "client": client, "redirect": redirect, "app_port": app_port}
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture()
def dashboard(provider, demo_warehouse_copy, tmp_path):
    """`netsafe serve` with sign-in configured, users added with the CLI's service."""
    settings = demo_warehouse_copy
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{provider["redirect"]}"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        f'client_id = "{provider["client"]["id"]}"\n'
        f'client_secret = "{provider["client"]["secret"]}"\n'
        f'server_metadata_url = "{provider["issuer"]}/.well-known/openid-configuration"\n'
        '[auth.client_kwargs]\nprompt = "login"\n',
        encoding="utf-8",
    )
    env = dict(os.environ, NETSAFE_DATA_DIR=str(settings.data_dir), NETSAFE_AUTH_SECRETS=str(secrets_file))
    port = provider["app_port"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "netsafe.cli", "serve", "--port", str(port), "--host", "127.0.0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/_stcore/health")
    yield settings, url
    proc.terminate()
    proc.wait(timeout=20)


def sign_in(page, url: str, identity: str) -> None:
    """Through the provider's own login and consent pages, as a person would."""
    page.goto(url)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/interaction/**", timeout=30_000)
    page.fill("input[name=login]", identity)
    page.fill("input[name=password]", "any")
    page.locator("button[type=submit]").click()
    consent = page.locator("button[type=submit]")
    page.wait_for_load_state()
    if "/interaction/" in page.url and consent.count():
        consent.first.click()
    page.wait_for_url(f"{url}/**", timeout=30_000)


def intake_period(settings) -> str:
    """The period being collected now (no report landed for it yet)."""
    return warehouse.scalar(
        settings,
        """
        select period_code from marts.dim_periods
        where report_type = 'quarterly' and cutoff_end_date >= current_date - 400
          and cutoff_start_date <= current_date + 1
          and period_code in (select period_code from marts.rpt_agency_compliance where is_expected)
        order by cutoff_end_date desc limit 1
        """,
    )


def filled(settings, agency: str, period: str) -> tuple[str, bytes]:
    name, content = services.template_file(settings, agency, period)
    from io import BytesIO

    from openpyxl import load_workbook

    from netsafe.intake import templates

    sheet = load_workbook(BytesIO(content))[templates.INDICATOR_SHEET]
    codes = [sheet.cell(row=r, column=2).value for r in range(templates.FIRST_DATA_ROW, sheet.max_row + 1)]
    return name, fill_template(content, {code: 1 for code in codes if code}, {})


def test_sign_in_roles_and_agency_self_service(dashboard, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    settings, url = dashboard
    period = intake_period(settings)
    agencies = warehouse.query(
        settings,
        "select agency_code from marts.rpt_agency_compliance where period_code = ? and is_expected "
        "and agency_code not like '%POLICE' order by 1",
        [period],
    ).agency_code.tolist()
    mine, other = agencies[0], agencies[1]
    access.add_user(settings, "can.bo@donvi.gov.vn", "reporter", mine, actor="admin")
    access.add_user(settings, "lanh.dao@so.gov.vn", "leader", None, actor="admin")
    own_name, own_file = filled(settings, mine, period)
    other_name, other_file = filled(settings, other, period)
    (tmp_path / own_name).write_bytes(own_file)
    (tmp_path / other_name).write_bytes(other_file)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)

        # an agency reporter: their agency's page only, their own file only
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        sign_in(page, url, "can.bo@donvi.gov.vn")
        expect(page.get_by_text("cán bộ đầu mối")).to_be_visible(timeout=30_000)
        # one page only (so no page list): their agency's submissions
        expect(page.get_by_role("heading", name="Nộp báo cáo")).to_be_visible()
        expect(page.locator("[data-testid=stSidebarNav]")).to_have_count(0)
        expect(page.get_by_text("Tổng quan")).to_have_count(0)
        expect(page.get_by_text("Ngày nhận")).to_have_count(0)  # the server's clock, not a chosen date
        page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
            str(tmp_path / other_name)
        )
        page.get_by_role("button", name="Nhận và kiểm tra").click()
        expect(page.get_by_text("đơn vị khác")).to_be_visible(timeout=60_000)
        # a fresh page (still signed in) with an empty uploader for the reporter's own file
        page.reload()
        expect(page.get_by_role("heading", name="Nộp báo cáo")).to_be_visible(timeout=60_000)
        page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
            str(tmp_path / own_name)
        )
        expect(page.get_by_role("button", name=f"Remove {own_name}")).to_be_visible(timeout=60_000)
        page.get_by_role("button", name="Nhận và kiểm tra").click()
        # the verdict (an alert naming the file), not the history table's "✔ …" cells
        accepted = page.get_by_test_id("stAlert").filter(has_text=own_name).filter(has_text="Đã nhận")
        expect(accepted).to_be_visible(timeout=120_000)
        # in words: no agency or period code in the verdict
        verdict = accepted.inner_text().replace(own_name, "")
        assert "-Q" not in verdict and "_" not in verdict and "Quý" in verdict
        page.screenshot(path=str(SCREENSHOT_DIR / "sign_in_reporter.png"), full_page=True)
        history = page.locator("[data-testid=stDataFrame]").last.inner_text(timeout=90_000)
        assert other not in history
        page.context.close()

        # a leader approves the chosen period on the report page
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        sign_in(page, url, "lanh.dao@so.gov.vn")
        nav = page.locator("[data-testid=stSidebarNav]")
        nav.get_by_text("Báo cáo", exact=True).click()
        page.get_by_role("button", name="Phê duyệt kỳ này").click()
        expect(page.get_by_text("Đã phê duyệt kỳ.")).to_be_visible(timeout=180_000)
        page.screenshot(path=str(SCREENSHOT_DIR / "sign_in_leader.png"), full_page=True)
        page.context.close()

        # an identity the province knows but netsafe does not: a polite refusal, nothing else
        page = browser.new_context().new_page()
        sign_in(page, url, "nguoi.la@example.com")
        expect(page.get_by_text("chưa được cấp quyền")).to_be_visible(timeout=30_000)
        expect(page.locator("[data-testid=stSidebarNav]")).to_have_count(0)
        page.context.close()
        browser.close()

    landed = open_store(settings).read_raw(
        "select agency_code, channel from raw.submissions where source_file_name = ?", [own_name]
    )
    assert landed.values.tolist() == [[mine, "upload"]]
    assert (
        open_store(settings)
        .read_raw("select 1 from raw.submissions where source_file_name = ?", [other_name])
        .empty
    )
    approved = approvals.states(settings)
    assert approved.actor.tolist() == ["lanh.dao@so.gov.vn"]
    trail = open_store(settings).read_raw("select actor, action, outcome, client_address from raw.audit_log")
    refused = trail[(trail.action == "ingest") & (trail.outcome == "refused")]
    assert refused.actor.tolist() == ["can.bo@donvi.gov.vn"] and refused.client_address.notna().all()
    assert "approve" in set(trail[trail.actor == "lanh.dao@so.gov.vn"].action)
