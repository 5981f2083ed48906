// The participant's token lives only in this browser (never in a URL), per session code.
const key = (code) => `facilitator:identity:${code}`;

export function loadIdentity(code) {
  try {
    const raw = window.localStorage.getItem(key(code));
    const data = raw ? JSON.parse(raw) : null;
    return data && typeof data.token === "string" ? data : null;
  } catch (e) {
    return null;
  }
}

export function saveIdentity(code, identity) {
  window.localStorage.setItem(key(code), JSON.stringify(identity));
}

export function forgetIdentity(code) {
  window.localStorage.removeItem(key(code));
}
