"""A local SMTP server for koe's mail tests (loopback only): each message
is written to OUTDIR as NNNNN.eml; recipients listed in REFUSE (a file,
one address a line, read on every RCPT) are refused with 550; with
--drop-after N the server closes the connection on the (N+1)th message
and every one after; with --tempfail N the first N messages get 421."""
import argparse
import asyncio
import os
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, outdir, refuse, drop_after, tempfail=0):
        self.tempfail = tempfail
        self.outdir = outdir
        self.refuse = refuse
        self.drop_after = drop_after
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse and os.path.exists(self.refuse):
            with open(self.refuse) as f:
                if address in {l.strip() for l in f}:
                    return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.tempfail > 0:
            self.tempfail -= 1
            return "421 4.7.0 try again later"
        if self.drop_after is not None and self.n >= self.drop_after:
            session.transport.close()
            return "421 closing"
        self.n += 1
        path = os.path.join(self.outdir, "%05d.eml" % self.n)
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 OK"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("portfile")
    ap.add_argument("--refuse")
    ap.add_argument("--drop-after", type=int)
    ap.add_argument("--tempfail", type=int, default=0)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--auth", metavar="USER:PASSWORD")
    a = ap.parse_args()
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    kw = {}
    if a.tls:
        import ssl
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls[0], a.tls[1])
        kw.update(tls_context=ctx, require_starttls=True)
    if a.auth:
        from aiosmtpd.smtp import AuthResult
        user, password = a.auth.split(":", 1)

        def check(server, session, envelope, mechanism, data):
            ok = data.login.decode() == user and data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        kw.update(authenticator=check, auth_required=True, auth_require_tls=bool(a.tls))
    c = Controller(Sink(a.outdir, a.refuse, a.drop_after, a.tempfail), hostname="127.0.0.1",
                   port=port, **kw)
    c.start()
    with open(a.portfile + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(a.portfile + ".tmp", a.portfile)
    try:
        import time
        time.sleep(10**6)
    finally:
        c.stop()


if __name__ == "__main__":
    main()
