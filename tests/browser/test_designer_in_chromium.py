"""The modeler and the case viewer in a real browser (Debian's headless Chromium via Selenium).

Skips with the reason when Chromium, its driver or Selenium is missing; under CI=true it fails
instead, so CI cannot pass without having run it. Set SCREENSHOT_DIR to keep screenshots.
"""
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app, demo_data
from tests.helpers import approve_plan, case_of, close_period, start_cycle

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--window-size=1600,1100")


def _chromium():
    missing = []
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if binary is None:
        missing.append("chromium")
    if driver is None:
        missing.append("chromedriver (Debian chromium-driver)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip)")
    if missing:
        reason = f"browser test needs {', '.join(missing)}: apt-get install chromium chromium-driver"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return binary, driver


@pytest.fixture
def browser():
    binary, driver_path = _chromium()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_script_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def live_server(app, ctx):
    """The app served over HTTP on a free local port, on the test database, with CSRF on as in
    production (the modeler's JSON posts must carry the token)."""
    served = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "JOBS_SYNC": True,
                         "REDIS_URL": None, "WTF_CSRF_ENABLED": True})
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def _wait(driver, css, timeout=20):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def _login(driver, base, username):
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/login")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(demo_data.DEMO_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit], form button").click()
    _wait(driver, "nav .user-name")


def _screenshot(driver, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def test_modeler_opens_the_cycle_validates_and_keeps_what_it_does_not_draw(session, live_server, browser):
    from selenium.webdriver.common.by import By

    _login(browser, live_server, "hr.admin")
    browser.get(f"{live_server}/hr/processes/performance_cycle/modeler")
    _wait(browser, "#canvas[data-ready=true]")
    assert browser.find_elements(By.CSS_SELECTOR, '.djs-element[data-element-id="susun_skp"]')
    assert browser.find_elements(By.CSS_SELECTOR, '.djs-element[data-element-id="dialog"]')  # inside the subprocess

    browser.execute_script("""const m = window.siklusModeler;
        m.get('selection').select(m.get('elementRegistry').get('susun_skp'));""")
    form_select = _wait(browser, '#panel select[name="form"]')
    assert form_select.get_attribute("value") == "skp"
    assert "Susun SKP" in browser.find_element(By.ID, "panel").text

    browser.find_element(By.ID, "btn-validate").click()
    _wait(browser, "#problems .alert-success")
    _screenshot(browser, "modeler")

    xml = browser.execute_async_script("""const done = arguments[arguments.length - 1];
        window.siklusModeler.saveXML().then(r => done(r.xml));""")
    assert "period_keys</bpmn:loopDataInputRef>" in xml and "period_grades</bpmn:loopDataOutputRef>" in xml
    assert 'spiffworkflow:serviceTaskOperator id="lock_plan"' in xml

    browser.execute_script("""const m = window.siklusModeler;
        m.get('modeling').updateProperties(m.get('elementRegistry').get('lane_hr'), {name: 'satpam'});""")
    browser.find_element(By.ID, "btn-validate").click()
    problem = _wait(browser, '#problems li[data-element-id="lane_hr"]')
    assert "satpam" in problem.text
    assert browser.find_elements(By.CSS_SELECTOR, '.djs-element.has-problem[data-element-id="lane_hr"]')
    _screenshot(browser, "modeler-problem")


def test_case_viewer_marks_completed_elements_and_the_current_task(session, live_server, browser):
    from selenium.webdriver.common.by import By

    start_cycle()
    approve_plan("kadis")
    close_period("2026-Q1")
    case_id = case_of("kadis").id

    _login(browser, live_server, "hr.admin")
    browser.get(f"{live_server}/cases/{case_id}")
    _wait(browser, "#case-diagram[data-ready=true]")
    current = browser.find_elements(By.CSS_SELECTOR, '.djs-element.case-current[data-element-id="dialog"]')
    assert current, "the current task is marked"
    for element in ("susun_skp", "review_skp", "kunci_skp", "check_period"):
        assert browser.find_elements(By.CSS_SELECTOR, f'.djs-element.case-completed[data-element-id="{element}"]'), element
    assert not browser.find_elements(By.CSS_SELECTOR, '.djs-element.case-completed[data-element-id="annual_appraisal"]')
    assert "Sekarang" in browser.find_element(By.ID, "case-diagram").text
    _screenshot(browser, "case-viewer")
