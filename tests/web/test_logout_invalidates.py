"""Signing out makes the old login cookie worthless, even a copy kept elsewhere."""
from __future__ import annotations


def test_a_copied_cookie_stops_working_after_sign_out(app, factory):
    factory.user(email="fac1@example.org")
    browser = app.test_client()
    assert browser.post("/login", data={"email": "fac1@example.org", "password": "correct horse battery"}).status_code == 302
    stolen = browser.get_cookie("session").value
    assert browser.get("/meetings/").status_code == 200

    browser.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/meetings/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
