"""End to end in headless Chromium: upload a draft, pick a 提要 line, download the block as Markdown."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from jianbao_nlp.serve import create_app

from .conftest import fake_pipeline

CHROMIUM = os.environ.get("JIANBAO_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"{CHROMIUM} not found (apt-get install -y chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server():
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(create_app(pipeline=fake_pipeline()), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def test_upload_pick_line_download_markdown(server, archive, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(accept_downloads=True)
            page.set_default_timeout(30_000)
            page.goto(server + "/")
            page.set_input_files("#file", str(archive / "bulletin_a.md"))
            page.wait_for_selector("section.article >> nth=2")
            assert page.locator("section.article").count() == 3
            # entities are highlighted with the canonical name on hover
            mark = page.locator("section.article mark.ent").first
            assert mark.get_attribute("title").startswith("机关事务（规范名）")
            # pick the second suggestion of the second article
            second = page.locator("section.article").nth(1)
            radio = second.locator("input[type=radio][value='1']")
            radio.check()
            picked = radio.get_attribute("data-line")
            assert picked and picked.startswith("建议乙")
            # edit the first article's line by hand
            first = page.locator("section.article").nth(0)
            first.locator("input.custom").fill("编辑亲手改写的提要")
            with page.expect_download() as info:
                page.click("#dl-md")
            target = tmp_path / "block.md"
            info.value.save_as(target)
            text = target.read_text(encoding="utf-8")
            assert picked in text
            assert "编辑亲手改写的提要" in text
            assert not page.locator("#error").inner_text().strip()
        finally:
            browser.close()
