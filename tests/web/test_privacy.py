"""The privacy page is generated from the configuration: retention (server default, or the session's
own when linked from its join page), how drops are detected, operator and support contact; it is
linked from the join page and every page's footer."""
from __future__ import annotations

def test_the_privacy_page_follows_the_configuration(app, client):
    assert "It is run by" not in client.get("/privacy").get_data(as_text=True)  # no operator configured
    app.config.update(DEFAULT_RETENTION_DAYS=14, OPERATOR_NAME="Northside Clinic",
                      SUPPORT_CONTACT="privacy@northside.example", DROP_ALERT_GRACE_SECONDS=4)
    page = client.get("/privacy").get_data(as_text=True)
    assert "(14 days unless they choose otherwise)" in page
    assert "It is run by Northside Clinic." in page and "or for support: privacy@northside.example." in page
    assert "silent for about 10 seconds, or closed and not back within 4 seconds" in page
    for what in ("The name you type", "How to reach you if your connection drops", "Poll answers", "Chat messages",
                 "The agenda and its minutes", "the session&#39;s facilitators only", "never contain chat text, names, contact details or keys"):
        assert what in page, what


def test_a_sessions_join_page_links_to_its_own_retention(app, client, factory):
    uid = factory.user()
    mid, code = factory.meeting(uid, title="Carers group", retention_days=7)
    join = client.get(f"/j/{code}").get_data(as_text=True)
    assert f'href="/privacy?code={code}"' in join
    page = client.get(f"/privacy?code={code}").get_data(as_text=True)
    assert "Everything about <strong>Carers group</strong> is deleted for good <strong>7 days</strong>" in page
    assert 'href="/privacy"' in client.get("/").get_data(as_text=True)  # the footer, on every page
    assert "Carers group" not in client.get("/privacy?code=NOPE").get_data(as_text=True)


def test_new_sessions_take_the_configured_retention(app, client, api):
    app.config["DEFAULT_RETENTION_DAYS"] = 21
    r = client.post("/api/v1/meetings", headers=api.headers, json={"title": "Default kept"})
    assert r.status_code == 201 and r.get_json()["retention_days"] == 21
