"""A plain wheel install, with no source tree, carries its migrations and reaches head."""

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, cwd, env=None):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=240, check=False)


def test_wheel_installs_and_migrates_to_head(tmp_path):
    # Build from a clean copy: setuptools' in-tree build/ folder keeps files deleted since the last build
    # (a removed migration would ship again and break the numbering).
    source = tmp_path / "source"
    junk = shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__", "bench", "data", "backups")
    shutil.copytree(ROOT, source, ignore=junk)
    wheels = tmp_path / "wheels"
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", wheels, source, cwd=tmp_path)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = wheels.glob("harbor_bot-*.whl")

    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    site = Path(
        _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp_path).stdout.strip()
    )
    # Dependencies come from the test environment's site-packages as a plain path entry: a .pth line
    # adds the folder but does not run the .pth files inside it, so the editable install of the source
    # tree stays invisible and only the wheel's copy of `bot` can be imported.
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    unpacked = _run(sys.executable, "-m", "pip", "install", "--no-deps", "--target", site, wheel, cwd=tmp_path)
    assert unpacked.returncode == 0, unpacked.stderr[-2000:]

    located = _run(
        python, "-c", "import bot, bot.db.migrate as m; print(bot.__file__); print(len(m.discover()))", cwd=tmp_path
    )
    assert located.returncode == 0, located.stderr[-2000:]
    module_path, head = located.stdout.split()
    assert module_path.startswith(str(site)), module_path
    assert int(head) >= 6

    env = {"PATH": "/usr/bin:/bin", "DISCORD_TOKEN": "x" * 59, "HARBOR_DATABASE": str(tmp_path / "h.db")}
    migrated = _run(python, "-m", "bot.cli", "migrate", cwd=tmp_path, env=env)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    checked = _run(python, "-m", "bot.cli", "check", cwd=tmp_path, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"version {head} of {head}" in checked.stdout + checked.stderr
