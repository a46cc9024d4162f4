#!/usr/bin/env python3
"""Bytes per page and requests per page, for every page and every language the gateway offers.

The languages are read from the language picker on the landing page. For each language the script walks
every page a visitor can reach: the landing page, the contact form (empty and refused), the page with the
new code, the conversation (opened with the code, and after writing again), the delete confirmation, the
"deleted" page and a not-found page; and the exit redirect once. For each page it records the status, the
bytes of the response head and body, and every reference in the HTML that would make a browser fetch
something more (src=, srcset=, a <link> that is not navigation, url(, @import, <object data=>, …). A page
must cause exactly one request: its own.

Each page body is saved under --snapshots as LANG-PAGE.html so a browser can load it again (see
chromium_requests.py). Prints one JSON object.
"""

import argparse
import html
import http.client
import json
import re
import ssl
import sys
import urllib.parse
from html.parser import HTMLParser

TOKEN = re.compile(r'<input[^>]*name="token"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')
CODE = re.compile(r'class="code"[^>]*>(.*?)</p>', re.S)
TAG = re.compile(r"<[^>]+>")
URL_IN_CSS = re.compile(r"url\(\s*['\"]?([^'\")]*)", re.I)
IMPORT_IN_CSS = re.compile(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]*)", re.I)

# <link rel=…> values that only describe a navigation target: a browser fetches nothing for them.
NAVIGATION_RELS = {"alternate", "author", "canonical", "help", "license", "next", "prev", "search", "bookmark",
                   "external", "nofollow", "noopener", "noreferrer", "tag"}
# Attributes whose URL a browser fetches as part of showing the page.
FETCHING_ATTRIBUTES = {"src", "srcset", "poster", "background", "data", "imagesrcset", "ping"}


def fetches_something(url):
    """Whether a URL in a fetching position makes a request (data: and empty ones do not)."""
    url = url.strip()
    return bool(url) and not url.lower().startswith("data:") and not url.startswith("#")


class SubresourceFinder(HTMLParser):
    """Collects every reference in a page that would make a browser send another request."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name in FETCHING_ATTRIBUTES and not (tag == "object" and name != "data"):
                if name.endswith("srcset"):
                    urls = [part.strip().split(" ")[0] for part in value.split(",")]
                else:
                    urls = [value]
                for url in urls:
                    if fetches_something(url):
                        self.found.append(f"<{tag} {name}={url}>")
            if name == "style":
                self.css(value, f"<{tag} style>")
        if tag == "link":
            rels = set((attributes.get("rel") or "").lower().split())
            href = attributes.get("href") or ""
            if rels - NAVIGATION_RELS and fetches_something(href):
                self.found.append(f"<link rel={' '.join(sorted(rels))} href={href}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.found.append("<meta http-equiv=refresh>")
        if tag == "style":
            self.in_style = True

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.css(data, "<style>")

    def css(self, text, where):
        for url in URL_IN_CSS.findall(text):
            if fetches_something(url):
                self.found.append(f"{where} url({url})")
        for url in IMPORT_IN_CSS.findall(text):
            self.found.append(f"{where} @import {url}")


def subresources(page):
    finder = SubresourceFinder()
    finder.feed(page)
    finder.close()
    return finder.found


class Client:
    def __init__(self, port, tls):
        self.port = port
        self.tls = tls

    def send(self, method, path, fields=None):
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=context, timeout=60)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": "localhost", "Sec-Fetch-Site": "same-origin"}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = "null"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        # Each header as it went over the wire: "Name: value\r\n", after the status line, then a blank line.
        head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + 2
        head += sum(len(name) + 2 + len(value) + 2 for name, value in response.getheaders())
        conn.close()
        return response.status, head, raw


def token_of(page):
    tag = TOKEN.search(page)
    if not tag:
        return ""
    value = VALUE.search(tag.group(0))
    return html.unescape(value.group(1)) if value else ""


def code_of(page):
    found = CODE.search(page)
    return " ".join(TAG.sub(" ", found.group(1)).split()) if found else ""


def languages_of(landing):
    """The languages the picker offers, in its order, the page's own included."""
    codes = []
    nav = re.search(r'<ul class="langs">(.*?)</ul>', landing, re.S)
    scope = nav.group(1) if nav else landing
    for match in re.finditer(r'<(?:a|span)[^>]*\blang="([a-zA-Z-]+)"', scope):
        if match.group(1) not in codes:
            codes.append(match.group(1))
    return codes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True, help="the HTTPS port")
    parser.add_argument("--snapshots", required=True, help="directory for the page bodies")
    args = parser.parse_args()
    client = Client(args.port, tls=True)
    rows = []

    def record(lang, name, status, head, raw):
        page = raw.decode("utf-8", "replace")
        found = subresources(page)
        rows.append({
            "lang": lang,
            "page": name,
            "status": status,
            "head_bytes": head,
            "body_bytes": len(raw),
            "requests": 1 + len(found),
            "subresources": found,
        })
        if raw:
            with open(f"{args.snapshots}/{lang}-{name}.html", "wb") as handle:
                handle.write(raw)
        return page

    status, head, raw = client.send("GET", "/")
    location_status = status
    status, head, raw = client.send("GET", "/sv/")
    languages = languages_of(raw.decode("utf-8", "replace"))
    if not languages:
        print(json.dumps({"error": "no language picker found on /sv/"}))
        return 1

    for lang in languages:
        landing = record(lang, "landing", *client.send("GET", f"/{lang}/"))
        contact = record(lang, "contact", *client.send("GET", f"/{lang}/contact"))
        record(lang, "contact-refused", *client.send("POST", f"/{lang}/contact", {
            "token": token_of(contact), "group": "exposed", "message": "", "reply_language": lang,
            "website": ""}))
        _, _, fresh = client.send("GET", f"/{lang}/contact")
        code_page = record(lang, "code", *client.send("POST", f"/{lang}/contact", {
            "token": token_of(fresh.decode("utf-8", "replace")), "group": "exposed",
            "message": "A message of a few words.", "reply_language": lang, "website": ""}))
        code = code_of(code_page)
        thread = record(lang, "thread", *client.send("POST", f"/{lang}/return", {
            "token": token_of(landing), "code": code}))
        again = record(lang, "thread-sent", *client.send("POST", f"/{lang}/thread/write", {
            "token": token_of(thread), "message": "And a second message."}))
        confirm = record(lang, "delete-confirm", *client.send("POST", f"/{lang}/thread/delete", {
            "token": token_of(again)}))
        record(lang, "deleted", *client.send("POST", f"/{lang}/thread/delete", {
            "token": token_of(confirm), "confirm": "yes"}))
        record(lang, "not-found", *client.send("GET", f"/{lang}/no-such-page"))
    record("-", "exit", *client.send("GET", "/exit"))

    print(json.dumps({"languages": languages, "root_status": location_status, "pages": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
