"""Login, logout, the failure limit, and the redirect for anonymous visitors."""
from app import demo_data
from tests.conftest import text_of


def _login(client, username, password):
    return client.post("/login", data={"username": username, "password": password})


def test_login_page_renders_for_anonymous(client):
    response = client.get("/login")
    assert response.status_code == 200
    page = text_of(response)
    assert "Masuk ke Siklus Kinerja" in page
    assert "Nama pengguna" in page and "Kata sandi" in page


def test_login_with_good_password_goes_to_inbox(client):
    response = _login(client, "staf02", demo_data.DEMO_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/inbox")
    inbox = client.get("/inbox")
    assert inbox.status_code == 200
    assert "Siti Aminah" not in text_of(inbox)  # staf01's name; staf02 is Rudi Hartono
    assert "Rudi Hartono" in text_of(inbox)


def test_login_page_redirects_a_signed_in_user(login):
    client = login("staf02")
    response = client.get("/login")
    assert response.status_code == 302 and response.headers["Location"].endswith("/inbox")


def test_bad_password_is_refused_with_message(client):
    response = _login(client, "staf02", "salah-sekali")
    assert response.status_code == 401
    page = text_of(response)
    assert "Nama pengguna atau kata sandi salah" in page
    # the username typed stays in the form
    assert 'value="staf02"' in response.get_data(as_text=True)
    assert client.get("/inbox").status_code == 302


def test_unknown_user_gets_the_same_message(client):
    response = _login(client, "tidak.ada", "apa-saja-123")
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah" in text_of(response)


def test_empty_form_shows_field_errors(client):
    response = _login(client, "", "")
    assert response.status_code == 200
    page = text_of(response)
    assert "Isi nama pengguna." in page and "Isi kata sandi." in page


def test_sixth_attempt_after_five_failures_is_refused_even_with_right_password(client):
    for _ in range(5):
        response = _login(client, "staf02", "salah-sekali")
        assert response.status_code == 401
        assert "Nama pengguna atau kata sandi salah" in text_of(response)
    response = _login(client, "staf02", demo_data.DEMO_PASSWORD)
    assert response.status_code == 401
    assert "Terlalu banyak percobaan" in text_of(response)
    assert client.get("/inbox").status_code == 302
    # another account is not locked by staf02's failures
    assert _login(client, "staf05", demo_data.DEMO_PASSWORD).status_code == 302


def test_logout_ends_the_session(login):
    client = login("staf02")
    assert client.get("/inbox").status_code == 200
    response = client.post("/logout", follow_redirects=True)
    assert response.status_code == 200
    page = text_of(response)
    assert "Anda telah keluar." in page and "Masuk ke Siklus Kinerja" in page
    assert client.get("/inbox").status_code == 302


def test_logout_by_get_is_not_allowed(login):
    client = login("staf02")
    assert client.get("/logout").status_code == 405
    assert client.get("/inbox").status_code == 200


def test_anonymous_inbox_redirects_to_login(client):
    response = client.get("/inbox")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert "next=" in response.headers["Location"]
    followed = client.get("/inbox", follow_redirects=True)
    assert "Silakan masuk untuk membuka halaman ini." in text_of(followed)


def test_login_follows_safe_next_only(client):
    response = client.post("/login?next=/cases", data={"username": "staf02", "password": demo_data.DEMO_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/cases")
    client.post("/logout")
    response = client.post("/login?next=https://evil.example/x",
                           data={"username": "staf02", "password": demo_data.DEMO_PASSWORD})
    assert response.status_code == 302 and "evil.example" not in response.headers["Location"]


def test_login_next_with_backslash_is_not_followed(client):
    # Browsers read "/\evil.example" as "//evil.example": a redirect to another site.
    for target in ("/\\evil.example", "/\\/evil.example", "//evil.example", "https://evil.example/"):
        response = client.post("/login", query_string={"next": target},
                               data={"username": "staf02", "password": demo_data.DEMO_PASSWORD})
        assert response.status_code == 302, target
        location = response.headers["Location"]
        assert location.endswith("/inbox"), (target, location)
        client.post("/logout")
