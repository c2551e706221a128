"""The state explorer in a real browser: headless Chromium (Debian's, tools/chromium.sh installs
it) driven by Playwright, against the operator's HTTP server on the local node. It follows a
batch from its creation to its acceptance on L1, reads a position's balance and history, and
shows a forced request's freeze countdown."""
import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from offchain.client.requests import to_starkex_json
from offchain.core.storage import BatchStatus

ROOT = Path(__file__).resolve().parents[2]
WAIT_MS = 30_000  # the page refreshes every 2 s; a loaded machine may be slow to render


@pytest.fixture(scope="module")
def chromium_path() -> str:
    found = subprocess.run([str(ROOT / "tools" / "chromium.sh")], capture_output=True, text=True, timeout=900)
    assert found.returncode == 0, found.stderr
    return found.stdout.strip()


@pytest.fixture
def page(chromium_path, tmp_path):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("requestfailed", lambda request: errors.append(f"{request.url} failed"))
        yield page
        page.screenshot(path=str(tmp_path / "explorer.png"), full_page=True)
        browser.close()
        assert errors == [], errors


def test_explorer_follows_a_batch_and_reads_a_position(exchange, page, chain):
    alice = exchange.user(0xA11CE, 11, 2, deposit=5_000)
    bob = exchange.user(0xB0B, 12, 3, deposit=1_000)
    with exchange.client() as client:
        transfer = client.submit_transaction(to_starkex_json(
            alice.signer.transfer(receiver_public_key=bob.keys.public_key, receiver_position_id=12, amount=700)))

    page.goto(f"{exchange.gateway_url}/explorer")
    expect(page.locator("#config")).to_contain_text(exchange.stack.deployment.exchange.address, timeout=WAIT_MS)
    expect(page.locator("#config")).to_contain_text("BTC-10")
    expect(page.locator("#no-batches")).to_be_visible(timeout=WAIT_MS)

    # One pipeline step at a time; the page must show each status the batch reaches.
    seen = []
    while not seen or seen[-1] is not BatchStatus.ACCEPTED:
        batch = exchange.operator.tick(force_close=True)
        assert batch is not None and batch.batch_id == 0
        seen.append(batch.status)
        expect(page.locator("#batch-0 .status")).to_have_text(batch.status.value, timeout=WAIT_MS)
    assert seen[0] is BatchStatus.CREATED and len(seen) == len(BatchStatus)
    row = page.locator("#batch-0")
    expect(row.locator(".tx-range")).to_have_text(f"0..{transfer}")
    expect(row.locator(".proof")).to_have_text("LocalDevFactRegistry (no proof)")
    expect(row.locator(".l1")).to_contain_text("updateState 0x")
    assert int(row.locator(".gas").inner_text()) > 0

    page.fill("#position-id", "12")
    page.click("#position-show")
    expect(page.locator("#position-key")).to_have_text(hex(bob.keys.public_key), timeout=WAIT_MS)
    expect(page.locator("#balance-collateral .balance")).to_have_text("1700")
    expect(page.locator(f"#history-{transfer} .status")).to_have_text("ACCEPTED")
    expect(page.locator(f"#history-{transfer}")).to_contain_text("receives 700 collateral from position 11")

    exchange.l1.forced_withdrawal(bob.account, bob.keys.public_key, 12, 300)
    (forced,) = exchange.operator.watcher.poll()
    countdown = page.locator(f"#forced-{forced} .countdown")
    expect(countdown).to_have_text(re.compile(r"^6d 23h \d+m \d+s$"), timeout=WAIT_MS)
    expect(page.locator("#frozen-banner")).to_be_hidden()
    exchange.settle()
    expect(page.locator(f"#forced-{forced}")).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator("#no-forced")).to_be_visible()
