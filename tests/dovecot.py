"""A real Dovecot IMAP server for the tests and the benchmark: Debian's ``dovecot-imapd``
run in the foreground (``dovecot -F -c CONFIG``) with its configuration, a passwd-file user
and the maildirs in a temporary folder, on a free port of 127.0.0.1, plain IMAP."""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

USER = "newsroom@example.org"
PASSWORD = "imap-test-password"


def available() -> bool:
    """Whether Dovecot is installed (``.ci/run`` installs it when missing)."""
    return shutil.which("dovecot") is not None or Path("/usr/sbin/dovecot").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Dovecot:
    """One Dovecot process; ``start()`` then ``stop()`` (or use it as a context manager)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def config(self) -> dict[str, str]:
        """The TRACKER_IMAP_* settings that reach this server."""
        return {
            "IMAP_HOST": "127.0.0.1",
            "IMAP_PORT": str(self.port),
            "IMAP_USER": USER,
            "IMAP_PASSWORD": PASSWORD,
            "IMAP_SSL": "0",
        }

    def _write_config(self) -> Path:
        root = self.root
        for folder in ("run", "state", "home"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        me = pwd.getpwuid(os.getuid())
        login_user = "dovenull" if _has_user("dovenull") and os.getuid() == 0 else me.pw_name
        internal = "dovecot" if _has_user("dovecot") and os.getuid() == 0 else me.pw_name
        # Dovecot never stores mail as root: as root, the mail belongs to the dovecot user.
        owner = pwd.getpwnam(internal) if os.getuid() == 0 else me
        os.chown(root / "home", owner.pw_uid, owner.pw_gid)
        (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        os.chmod(root, 0o755)
        for folder in ("run", "state", "home"):
            os.chmod(root / folder, 0o755)
        conf = root / "dovecot.conf"
        conf.write_text(
            f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
# A throwaway server: its own durability is not what the tests and the benchmark measure.
mail_fsync = never
default_login_user = {login_user}
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name}
mail_location = maildir:{root}/home/%n/Maildir
mail_uid = {owner.pw_uid}
mail_gid = {owner.pw_gid}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={owner.pw_uid} gid={owner.pw_gid} home={root}/home/%n
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
"""
        )
        return conf

    def start(self) -> Dovecot:
        """Start the server and wait until it answers."""
        conf = self._write_config()
        binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
        self.proc = subprocess.Popen(
            [binary, "-F", "-c", str(conf)],
            cwd=self.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                log = (
                    (self.root / "dovecot.log").read_text()
                    if (self.root / "dovecot.log").exists()
                    else ""
                )
                raise RuntimeError(f"dovecot stopped: {err}\n{log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("dovecot did not answer within 20 seconds")

    def stop(self) -> None:
        """Stop the server."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def __enter__(self) -> Dovecot:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def client(self) -> imaplib.IMAP4:
        """A logged-in IMAP connection to the test user's mailbox."""
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(USER, PASSWORD)
        return conn

    def append(self, *messages: bytes, folder: str = "INBOX") -> None:
        """Put messages in a folder over IMAP (APPEND)."""
        conn = self.client()
        try:
            if folder != "INBOX":
                conn.create(f'"{folder}"')
            for data in messages:
                typ, detail = conn.append(f'"{folder}"', None, None, data)
                assert typ == "OK", detail
        finally:
            conn.logout()

    def count(self, folder: str = "INBOX") -> int:
        """How many messages a folder holds (0 when it does not exist)."""
        conn = self.client()
        try:
            typ, data = conn.select(f'"{folder}"', readonly=True)
            return int(data[0]) if typ == "OK" else 0
        finally:
            conn.logout()

    def empty(self) -> None:
        """Delete every message of every folder (between tests)."""
        conn = self.client()
        try:
            typ, folders = conn.list()
            for line in folders or []:
                name = line.decode().rsplit(' "/" ', 1)[-1].strip('"')
                typ, data = conn.select(f'"{name}"')
                if typ == "OK" and int(data[0] or 0) > 0:
                    conn.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
                    conn.expunge()
        finally:
            conn.logout()


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
