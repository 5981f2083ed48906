"""static/js/acting.js in Chromium: the one helper every panel uses to send an action and show
how it went. A stand-in `live` answers with the acks the server really sends (shape from
facilitator/sockets: {ok, error: {code, message, fields}}); the DOM is real."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

_RUN = """async ([ack, withErrorLine]) => {
    const { send } = await import('/static/js/acting.js');
    document.body.insertAdjacentHTML('beforeend', `
      <div id="announce-polite" aria-live="polite"></div><div id="announce-assertive" aria-live="assertive"></div>
      <form id="f"><input id="q" name="question" aria-describedby="qhint"><p id="qhint">A short question.</p>
        <input id="c0" data-field="choices"><p id="err" role="alert" hidden></p></form>`);
    const form = document.getElementById('f');
    const live = { call: async () => ack };
    const opts = { form, done: 'Poll launched.' };
    if (withErrorLine) opts.error = document.getElementById('err');
    const got = await send(live, 'poll.create', {}, opts);
    const q = document.getElementById('q'), c = document.getElementById('c0'), err = document.getElementById('err');
    const described = (el) => (el.getAttribute('aria-describedby') || '').split(' ').filter(Boolean)
        .map((id) => document.getElementById(id).textContent);
    const first = {
      ok: got.ok, errorText: err.textContent, errorHidden: err.hidden,
      qInvalid: q.getAttribute('aria-invalid'), qNotes: described(q), cNotes: described(c),
      assertive: document.getElementById('announce-assertive').textContent.trim(),
    };
    // A second try that succeeds clears every mark the refusal left.
    await send({ call: async () => ({ ok: true }) }, 'poll.create', {}, opts);
    first.after = { errorHidden: err.hidden, qInvalid: q.getAttribute('aria-invalid'),
                    notes: form.querySelectorAll('[data-field-error]').length,
                    qDescribedBy: q.getAttribute('aria-describedby'), cDescribedBy: c.getAttribute('aria-describedby'),
                    polite: document.getElementById('announce-polite').textContent.trim() };
    return first;
}"""

REFUSED = {"ok": False, "error": {"code": "invalid", "message": "Please check the poll.",
                                   "fields": {"question": ["Type a question."], "choices": {"0": ["Too long."]}}}}


def test_a_refusal_is_shown_in_the_panel_with_each_fields_message_and_then_cleared(new_context):
    page = new_context().new_page()
    page.goto("/")
    got = page.evaluate(_RUN, [REFUSED, True])
    assert got["ok"] is False
    assert got["errorHidden"] is False
    assert got["errorText"] == "Please check the poll. Type a question. Too long."
    assert got["qInvalid"] == "true"
    assert got["qNotes"] == ["A short question.", "Type a question."]
    assert got["cNotes"] == ["Too long."]
    assert got["assertive"] == ""  # the error line is role=alert: no second reading
    # The notes' ids leave aria-describedby with them; what described the field before stays.
    assert got["after"] == {"errorHidden": True, "qInvalid": None, "notes": 0, "polite": "Poll launched.",
                            "qDescribedBy": "qhint", "cDescribedBy": None}


def test_without_an_error_line_the_refusal_is_announced(new_context):
    page = new_context().new_page()
    page.goto("/")
    refused = {"ok": False, "error": {"code": "meeting_ended", "message": "The session has ended.", "fields": {}}}
    got = page.evaluate(_RUN, [refused, False])
    assert got["assertive"] == "The session has ended."
    assert got["errorHidden"] is True


def test_two_forms_refused_at_once_get_notes_with_ids_of_their_own(new_context):
    """Two poll forms whose fields have no id (a fieldset) each get a note; the ids differ, each
    field points at its own, and a second refusal does not leave the first one's id behind."""
    page = new_context().new_page()
    page.goto("/")
    got = page.evaluate("""async (ack) => {
        const { showError, clearErrors } = await import('/static/js/acting.js');
        document.body.insertAdjacentHTML('beforeend', `
          <form id="a"><fieldset data-field="choices"></fieldset></form>
          <form id="b"><fieldset data-field="choices"></fieldset></form>`);
        const [a, b] = ['a', 'b'].map((id) => document.getElementById(id));
        showError(ack.error, { form: a });
        showError(ack.error, { form: b });
        showError(ack.error, { form: b });  // refused again: the first note's id goes with it
        const ids = (form) => form.querySelector('fieldset').getAttribute('aria-describedby').split(' ');
        const out = { a: ids(a), b: ids(b),
                      aNote: a.querySelector('[data-field-error]').id, bNote: b.querySelector('[data-field-error]').id };
        clearErrors(null, b);
        out.bAfter = b.querySelector('fieldset').getAttribute('aria-describedby');
        out.aStill = ids(a);
        return out;
    }""", {"ok": False, "error": {"code": "invalid", "message": "Please check.", "fields": {"choices": ["Choose one."]}}})
    assert got["a"] == [got["aNote"]]
    assert got["b"] == [got["bNote"]]
    assert got["aNote"] != got["bNote"]
    assert got["bAfter"] is None
    assert got["aStill"] == [got["aNote"]]
