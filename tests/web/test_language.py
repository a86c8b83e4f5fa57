"""The language switch: English is selectable; pages still render where translations are missing."""
from tests.conftest import text_of, user


def test_switch_to_english_and_back(login):
    client = login("staf02")
    response = client.get("/lang/en", headers={"Referer": "http://localhost/cases?q=x"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/cases?q=x")
    page = client.get("/inbox")
    assert page.status_code == 200
    assert '<html lang="en">' in page.get_data(as_text=True)
    assert "Rudi Hartono" in text_of(page)
    for url in ("/cases", "/login"):
        assert client.get(url).status_code in (200, 302)
    client.get("/lang/id")
    assert '<html lang="id">' in client.get("/inbox").get_data(as_text=True)


def test_english_for_anonymous_login_page(client):
    response = client.get("/lang/en")
    assert response.status_code == 302 and response.headers["Location"].endswith("/inbox")
    page = client.get("/login")
    assert page.status_code == 200 and '<html lang="en">' in page.get_data(as_text=True)


def test_unknown_language_is_ignored(login):
    client = login("staf02")
    client.get("/lang/xx")
    page = client.get("/inbox")
    assert page.status_code == 200 and '<html lang="id">' in page.get_data(as_text=True)


def test_language_switch_does_not_redirect_off_site(client):
    response = client.get("/lang/en", headers={"Referer": "http://evil.example//evil.example/x"})
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_an_account_in_english_reads_english_pages_and_signs_out_in_english(login, session):
    account = user("staf02")
    account.language = "en"
    session.commit()
    client = login("staf02")
    page = client.get("/inbox")
    assert '<html lang="en">' in page.get_data(as_text=True)
    signed_out = client.post("/logout", follow_redirects=True)
    assert '<html lang="en">' in signed_out.get_data(as_text=True)
    assert "You have signed out." in text_of(signed_out)
    assert "Anda telah keluar" not in text_of(signed_out)
