"""deploy/: the systemd unit passes `systemd-analyze verify`, the reverse-proxy examples pass
their own checkers, and all of them agree with the bot's settings (paths, port, header).
Where a checker is not installed, its test is skipped and says so."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bot.config import Settings
from bot.runner import Runner
from bot.web import WEBHOOK_PATH
from tests.operations.fakes import LiveFakeBotAPI
from tests.operations.test_web import SECRET, running, start_update, until
from tests.sandbox_driver import free_port

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNIT = DEPLOY / "clia-bot.service"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # what bot/web.py and Telegram use


def _unit_settings() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_the_unit_runs_the_bot_as_its_own_user_with_hardening() -> None:
    unit = _unit_settings()
    assert unit["User"] == ["clia-bot"] and unit["Group"] == ["clia-bot"]
    assert unit["EnvironmentFile"] == ["/etc/clia-bot/clia-bot.env"]
    assert unit["ExecStart"] == ["/opt/clia-bot/.venv/bin/clia-bot run"]
    assert unit["Restart"] == ["on-failure"]
    assert unit["KillSignal"] == ["SIGTERM"]  # lets updates in flight finish
    for option in ("NoNewPrivileges", "PrivateTmp", "ProtectHome"):
        assert unit[option] == ["yes"], option
    assert unit["ProtectSystem"] == ["strict"]
    assert unit["StateDirectory"] == ["clia-bot"]  # /var/lib/clia-bot, writable
    assert unit["ReadWritePaths"] == ["/var/lib/clia-bot"]


def test_systemd_analyze_verifies_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here (apt-get install systemd)")
    # `verify` checks that ExecStart is executable: point it at this environment's
    # clia-bot, the program the unit runs once installed under /opt/clia-bot.
    program = Path(sys.executable).parent / "clia-bot"
    if not program.exists():
        pytest.skip(f"no clia-bot entry point at {program} (pip install -e .)")
    unit = tmp_path / "clia-bot.service"
    unit.write_text(UNIT.read_text().replace("/opt/clia-bot/.venv/bin/clia-bot", str(program)))
    result = subprocess.run(  # noqa: S603 - a system tool on our own file
        [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr  # not even a warning


def _webhook_port() -> int:
    return int(Settings.model_fields["port"].default)


def test_the_proxy_examples_agree_with_the_bot() -> None:
    upstream = f"127.0.0.1:{_webhook_port()}"
    caddy = (DEPLOY / "Caddyfile").read_text()
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert Settings.model_fields["web_host"].default == "127.0.0.1"
    # Caddy: POSTs to /telegram with the secret header go to the bot; /healthz too.
    assert f"path {WEBHOOK_PATH}\n" in caddy and "method POST" in caddy
    assert f"header {SECRET_HEADER} " in caddy
    assert caddy.count(f"reverse_proxy {upstream}") == 2
    assert "handle /healthz" in caddy
    # nginx: the same, with TLS from Let's Encrypt.
    assert f"location = {WEBHOOK_PATH} {{" in nginx and "location = /healthz {" in nginx
    header_variable = "$http_" + SECRET_HEADER.lower().replace("-", "_")
    assert f"if ({header_variable} != " in nginx
    assert nginx.count(f"proxy_pass http://{upstream};") == 2
    assert "ssl_certificate /etc/letsencrypt/live/" in nginx
    # The secret to fill in is the same placeholder in both, and no real secret is shipped.
    assert re.findall(r'"(change-me-to-WEBHOOK_SECRET)"', caddy) == ["change-me-to-WEBHOOK_SECRET"]
    assert re.findall(r'"(change-me-to-WEBHOOK_SECRET)"', nginx) == ["change-me-to-WEBHOOK_SECRET"]


def test_caddy_accepts_the_caddyfile(tmp_path: Path) -> None:
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("caddy is not installed here (apt-get install caddy)")
    result = subprocess.run(  # noqa: S603 - a system tool on our own file
        [caddy, "validate", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


def test_nginx_accepts_the_site(tmp_path: Path) -> None:
    nginx = shutil.which("nginx")
    openssl = shutil.which("openssl")
    if nginx is None or openssl is None:
        pytest.skip("nginx (apt-get install nginx-light) and openssl are needed to check it")
    # `nginx -t` reads the certificate files: a throwaway self-signed pair stands in for
    # Let's Encrypt's, and a minimal main configuration includes the site as Debian does.
    key, cert = tmp_path / "privkey.pem", tmp_path / "fullchain.pem"
    subprocess.run(  # noqa: S603 - a system tool
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=bot.example.org",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        capture_output=True,
        timeout=60,
        check=True,
    )
    site = (DEPLOY / "nginx.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/bot.example.org/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/bot.example.org/privkey.pem", str(key))
    (tmp_path / "site.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(  # noqa: S603 - a system tool on our own file
        [nginx, "-t", "-c", str(main), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


ROOT = DEPLOY.parent


def test_every_setting_is_in_env_example_and_the_readme() -> None:
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration") : readme.index("## Sandbox")]
    for name in (field.upper() for field in Settings.model_fields):
        assert re.search(rf"^{name}=", example, re.MULTILINE), f"{name} not in .env.example"
        assert f"`{name}`" in table, f"{name} not in the README's configuration table"


def test_env_example_is_a_valid_environment_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """The unit reads the settings with systemd's EnvironmentFile=: NAME=value lines and
    comments. The example, as shipped, loads (it is the sandbox: no token)."""
    for line in (ROOT / ".env.example").read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Z_]+", name), line
        assert " " not in value, f"systemd and `sh` would split {line!r}"
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(DEPLOY)  # no developer .env
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.token is None and settings.backup_dir is None
    assert settings.web_host == "127.0.0.1" and settings.log_format == "text"


def _self_signed(tmp_path: Path, openssl: str) -> tuple[Path, Path]:
    """A throwaway certificate for bot.example.org, standing in for Let's Encrypt's."""
    key, cert = tmp_path / "privkey.pem", tmp_path / "fullchain.pem"
    subprocess.run(  # noqa: S603 - a system tool
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=bot.example.org",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        capture_output=True,
        timeout=60,
        check=True,
    )
    return key, cert


async def _only_telegrams_posts_pass(base: str, runner: Runner, api: LiveFakeBotAPI) -> int:
    """Through the proxy at `base` (https): refused posts stay at the proxy, the one with
    the secret header reaches the bot and is answered, /healthz passes. The status the
    proxy gave a post without the secret."""
    async with httpx.AsyncClient(verify=False, timeout=10) as web:  # noqa: S501 - self-signed
        for _ in range(500):  # the proxy is starting
            try:
                await web.get(f"{base}/healthz")
                break
            except httpx.TransportError:
                await asyncio.sleep(0.02)
        right = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
        no_secret = await web.post(f"{base}/telegram", json=start_update(1, 2001))
        bad_secret = await web.post(f"{base}/telegram", json=start_update(2, 2001), headers=wrong)
        not_a_post = await web.get(f"{base}/telegram", headers=right)
        elsewhere = await web.get(f"{base}/")
        accepted = await web.post(f"{base}/telegram", json=start_update(3, 1001), headers=right)
        health = await web.get(f"{base}/healthz")
    assert no_secret.status_code in (403, 404)
    assert bad_secret.status_code == no_secret.status_code
    assert not_a_post.status_code in (403, 404) and elsewhere.status_code == 404
    assert accepted.status_code == 200, accepted.text
    assert health.status_code == 200 and health.json()["mode"] == "webhook"
    processor = runner.application.update_processor
    await until(lambda: getattr(processor, "last_processed_at", None), "update processed")
    assert api.sent(chat_id=1001)
    assert not api.sent(chat_id=2001), "a post without the secret reached the bot"
    return no_secret.status_code


def _adapted(text: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


async def test_behind_nginx_only_telegrams_posts_reach_the_bot(tmp_path: Path) -> None:
    """deploy/nginx.conf in front of the bot in webhook mode, over TLS (ports and the
    certificate adapted to the test, nothing else)."""
    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if nginx is None or openssl is None:
        pytest.skip("nginx (apt-get install nginx-light) and openssl are needed to run it")
    key, cert = _self_signed(tmp_path, openssl)
    http_port, https_port = free_port(), free_port()
    async with running(tmp_path, webhook_url="https://bot.example.org", webhook_secret=SECRET) as (
        runner,
        api,
        _clock,
        _client,
    ):
        site = _adapted(
            (DEPLOY / "nginx.conf").read_text(),
            {
                "/etc/letsencrypt/live/bot.example.org/fullchain.pem": str(cert),
                "/etc/letsencrypt/live/bot.example.org/privkey.pem": str(key),
                "listen 80;": f"listen 127.0.0.1:{http_port};",
                "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
                "change-me-to-WEBHOOK_SECRET": SECRET,
                "127.0.0.1:8443": f"127.0.0.1:{runner.web.port}",
            },
        )
        site = "\n".join(line for line in site.splitlines() if "listen [::]" not in line)
        (tmp_path / "site.conf").write_text(site)
        main = tmp_path / "nginx.conf"
        main.write_text(
            f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
            "worker_processes 1;\nevents {}\n"
            f"http {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n"
        )
        proxy = await asyncio.create_subprocess_exec(
            nginx,
            "-c",
            str(main),
            "-p",
            str(tmp_path),
            "-g",
            "daemon off;",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            base = f"https://127.0.0.1:{https_port}"
            refused = await _only_telegrams_posts_pass(base, runner, api)
            async with httpx.AsyncClient() as web:
                plain = await web.get(f"http://127.0.0.1:{http_port}/telegram")
        finally:
            proxy.terminate()
            _out, err = await asyncio.wait_for(proxy.communicate(), 30)
    assert refused == 403
    assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
    assert proxy.returncode == 0, err


async def test_behind_caddy_only_telegrams_posts_reach_the_bot(tmp_path: Path) -> None:
    """deploy/Caddyfile in front of the bot in webhook mode, with Caddy's own local
    certificate authority instead of Let's Encrypt (and the port adapted to the test)."""
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("caddy is not installed here (apt-get install caddy)")
    https_port = free_port()
    async with running(tmp_path, webhook_url="https://bot.example.org", webhook_secret=SECRET) as (
        runner,
        api,
        _clock,
        _client,
    ):
        test_options = (
            f"{{\n\tskip_install_trust\n\tadmin off\n\tauto_https disable_redirects\n"
            f"\tstorage file_system {tmp_path}/caddy\n}}\n\n"
            f"https://127.0.0.1:{https_port} {{\n\ttls internal"
        )
        config = _adapted(
            (DEPLOY / "Caddyfile").read_text(),
            {
                "bot.example.org {": test_options,
                "change-me-to-WEBHOOK_SECRET": SECRET,
                "127.0.0.1:8443": f"127.0.0.1:{runner.web.port}",
            },
        )
        (tmp_path / "Caddyfile").write_text(config)
        proxy = await asyncio.create_subprocess_exec(
            caddy,
            "run",
            "--config",
            str(tmp_path / "Caddyfile"),
            "--adapter",
            "caddyfile",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        )
        try:
            base = f"https://127.0.0.1:{https_port}"
            refused = await _only_telegrams_posts_pass(base, runner, api)
        finally:
            proxy.terminate()
            _out, err = await asyncio.wait_for(proxy.communicate(), 30)
    assert refused == 404  # Caddy's catch-all answers: the bot never sees it
    assert proxy.returncode == 0, err
