"""One real-browser run: the dashboard in headless Chromium (Debian's), the
period changed through the sidebar, a figure checked, a screenshot saved."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from netsafe import formatting, warehouse

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT_DIR = Path(os.environ.get("NETSAFE_SCREENSHOT_DIR", ROOT / "tests" / "screenshots"))

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def served(demo_warehouse):
    port = free_port()
    env = dict(os.environ, NETSAFE_DATA_DIR=str(demo_warehouse.data_dir))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboards" / "streamlit_app.py"),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_dashboard_in_a_real_browser(served, demo_warehouse):
    from playwright.sync_api import expect, sync_playwright

    def detected(period_code):
        value = warehouse.scalar(
            demo_warehouse,
            "select sum(detected) from marts.rpt_violation_summary where period_code = ?",
            [period_code],
        )
        return formatting.number(value, "vi")

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.goto(served)
        metric = (
            page.get_by_test_id("stMetric").filter(has_text="Vụ phát hiện").get_by_test_id("stMetricValue")
        )
        expect(page.get_by_role("heading", name="Tổng quan — Quý III/2026")).to_be_visible(timeout=30000)
        expect(metric).to_have_text(detected("2026-Q3"), timeout=30000)

        period_box = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Kỳ báo cáo", exact=True)
        period_box.click()
        page.get_by_role("option", name="Quý II/2024", exact=True).click()
        expect(page.get_by_role("heading", name="Tổng quan — Quý II/2024")).to_be_visible(timeout=30000)
        expect(metric).to_have_text(detected("2024-Q2"), timeout=30000)
        page.wait_for_timeout(1500)  # let the charts draw before the picture
        page.screenshot(path=str(SCREENSHOT_DIR / "overview_2024-Q2.png"), full_page=True)
        browser.close()
    assert (SCREENSHOT_DIR / "overview_2024-Q2.png").stat().st_size > 20000
