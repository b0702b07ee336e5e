"""Settings fail when they are given, with a message that says how to fix them.

An account, a region or a quota given to ``mock_cleanrooms``, a client, a pytest marker or an
ini option, and a port, host or state file given to ``cleanrooms-mock serve``: each is checked
before any work depends on it, never later as a ClientError or as state lost at shutdown.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from helpers import MEMBER_A, REGION, create_collaboration

import cleanrooms_mock
from cleanrooms_mock import CleanRoomsMock, mock_cleanrooms
from cleanrooms_mock.server import CleanRoomsServer
from cleanrooms_mock.settings import cleanrooms_regions

#: Regions where AWS runs but Clean Rooms has no endpoint (botocore's endpoint data), and names
#: that are no region at all.
NO_CLEAN_ROOMS = ["sa-east-1", "af-south-1", "us-east-7", "US-EAST-1", "useast1", ""]
#: Not a 12-digit account ID: too short, too long, not all digits, other scripts' digits.
NOT_ACCOUNT_IDS = [
    "12345678901",
    "1234567890123",
    "12345678901a",
    "١٢٣٤٥٦٧٨٩٠١٢",
    " 123456789012",
    "",
]
SUBPROCESS_SECONDS = 60


# ---- mock_cleanrooms and its clients ----------------------------------------------------------


@pytest.mark.parametrize("account", NOT_ACCOUNT_IDS)
def test_mock_cleanrooms_refuses_an_account_that_is_not_12_digits(account: str) -> None:
    with pytest.raises(ValueError, match=r"mock_cleanrooms\(account=\.\.\.\) must be a 12-digit"):
        mock_cleanrooms(account=account)
    assert not CleanRoomsMock.active()


@pytest.mark.parametrize("account", [123456789012, 12345678901, 1.5, b"123456789012"])
def test_mock_cleanrooms_refuses_an_account_that_is_not_a_string(account: Any) -> None:
    with pytest.raises(TypeError, match="12-digit AWS account ID as a string") as caught:
        mock_cleanrooms(account=account)
    if isinstance(account, int):
        assert "an int loses leading zeros" in str(caught.value)


@pytest.mark.parametrize("region", NO_CLEAN_ROOMS)
def test_mock_cleanrooms_refuses_a_region_without_clean_rooms(region: str) -> None:
    with pytest.raises(ValueError, match="AWS Clean Rooms has no endpoint in region") as caught:
        mock_cleanrooms(region=region)
    message = str(caught.value)
    assert message.startswith("mock_cleanrooms(region=...)")
    assert "us-east-1" in message and "eu-west-2" in message  # the regions to choose from


#: Quota settings that are refused when given: (quotas, error, what the message says).
BAD_QUOTAS = [
    ([("memberships_per_account", 2)], TypeError, "must be a mapping of quota names"),
    ("memberships_per_account=2", TypeError, "must be a mapping of quota names"),
    ({"memberships": 2}, ValueError, "Unknown Clean Rooms quota 'memberships'"),
    ({"memberships_per_account": -1}, ValueError, "must be a non-negative integer"),
    ({"memberships_per_account": "2"}, ValueError, "must be a non-negative integer"),
    ({"memberships_per_account": True}, ValueError, "must be a non-negative integer"),
    ({"memberships_per_account": 2**31}, ValueError, "must be at most 2147483647"),
    ({"collaborations_per_account": 10**23}, ValueError, "must be at most 2147483647"),
]


@pytest.mark.parametrize(("quotas", "error", "message"), BAD_QUOTAS)
def test_mock_cleanrooms_refuses_bad_quotas(quotas: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message) as caught:
        mock_cleanrooms(quotas=quotas)
    assert str(caught.value).startswith("mock_cleanrooms(quotas=...)")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("memberships_per_account", 2**31, "must be at most 2147483647"),
        ("memberships_per_account", -1, "must be a non-negative integer"),
        ("collaborations_per_account", "3", "must be a non-negative integer"),
        ("membership_per_account", 3, "Unknown Clean Rooms quota 'membership_per_account'"),
    ],
)
def test_assigning_a_bad_quota_fails_and_changes_nothing(
    name: str, value: Any, message: str
) -> None:
    with mock_cleanrooms():
        before = dict(vars(cleanrooms_mock.quotas))
        with pytest.raises(ValueError, match=message):
            setattr(cleanrooms_mock.quotas, name, value)
        assert vars(cleanrooms_mock.quotas) == before
        cleanrooms_mock.quotas.memberships_per_account = 2**31 - 1  # the largest is accepted
        assert cleanrooms_mock.quotas.memberships_per_account == 2**31 - 1


@pytest.mark.parametrize(("quotas", "error", "message"), BAD_QUOTAS)
def test_a_server_refuses_bad_quotas_naming_its_own_argument(
    quotas: Any, error: type, message: str
) -> None:
    with pytest.raises(error, match=message) as caught:
        CleanRoomsServer(port=0, quotas=quotas)
    assert str(caught.value).startswith("CleanRoomsServer(quotas=...)")


def test_an_account_with_leading_zeros_and_any_clean_rooms_region_are_accepted() -> None:
    with mock_cleanrooms(account="000000000001", region="eu-north-1") as mock:
        created = create_collaboration(mock.client())
    assert created["arn"].startswith("arn:aws:cleanrooms:eu-north-1:000000000001:collaboration/")


def test_the_regions_accepted_are_exactly_those_the_mock_serves(mock: None) -> None:
    for region in cleanrooms_regions():
        with mock_cleanrooms(region=region) as nested:
            assert nested.client().list_memberships()["membershipSummaries"] == []
    for region in NO_CLEAN_ROOMS[:2]:  # real AWS regions, reached without the check
        refused = boto3.client("cleanrooms", region_name=region)
        with pytest.raises(ClientError) as caught:
            refused.list_memberships()
        assert caught.value.response["Error"]["Code"] == "UnsupportedRegion"


def test_a_client_refuses_a_bad_account_or_region_when_asked_for(
    cleanrooms_mock: CleanRoomsMock,
) -> None:
    with pytest.raises(ValueError, match=r"client\(account=\.\.\.\) must be a 12-digit"):
        cleanrooms_mock.client("22222222222")
    with pytest.raises(TypeError, match="an int loses leading zeros"):
        cleanrooms_mock.client(222222222222)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"client\(region=\.\.\.\): .* region 'sa-east-1'"):
        cleanrooms_mock.client(MEMBER_A, "sa-east-1")
    with pytest.raises(ValueError, match="region 'eu-west-3'"):
        cleanrooms_mock.client(region="eu-west-3")

    member = cleanrooms_mock.client(MEMBER_A, "eu-west-2")
    assert member.list_memberships()["membershipSummaries"] == []


@pytest.mark.parametrize(
    ("keyword", "value", "error"),
    [
        ("account", "2222", ValueError),
        ("account", 222222222222, TypeError),
        ("creator_account", "11112222333", ValueError),
        ("creator_account", 111122223333, TypeError),
        ("creator_account", None, TypeError),
    ],
)
def test_the_collaboration_fixture_refuses_a_bad_account(
    cleanrooms_mock: CleanRoomsMock,
    cleanrooms_collaboration: Callable[..., dict[str, Any]],
    keyword: str,
    value: Any,
    error: type,
) -> None:
    with pytest.raises(error, match=rf"cleanrooms_collaboration\({keyword}=\.\.\.\)"):
        cleanrooms_collaboration(member_abilities=[], **{keyword: value})
    assert cleanrooms_mock.dump()["regions"] == {}  # nothing was created


# ---- the pytest marker and ini options --------------------------------------------------------


def test_class_and_module_markers_merge_with_the_tests_own(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_merge="""
        import pytest
        from cleanrooms_mock import quotas

        pytestmark = pytest.mark.cleanrooms(
            region="eu-west-1", quotas={"memberships_per_account": 3})

        @pytest.mark.cleanrooms(account="222222222222", quotas={"collaborations_per_account": 1})
        class TestPublisher:
            @pytest.mark.cleanrooms(region="eu-west-2", quotas={"collaborations_per_account": 4})
            def test_the_method_marker_wins_key_by_key(self, cleanrooms_mock, cleanrooms_client):
                assert (cleanrooms_mock.account, cleanrooms_mock.region) == (
                    "222222222222", "eu-west-2")
                assert (quotas.collaborations_per_account, quotas.memberships_per_account) == (4, 3)
                assert cleanrooms_client.meta.region_name == "eu-west-2"

            def test_the_class_marker_over_the_module_marker(self, cleanrooms_mock):
                assert (cleanrooms_mock.account, cleanrooms_mock.region) == (
                    "222222222222", "eu-west-1")
                assert (quotas.collaborations_per_account, quotas.memberships_per_account) == (1, 3)

            @pytest.mark.cleanrooms(account=None)
            def test_none_is_as_if_not_given(self, cleanrooms_mock):
                assert cleanrooms_mock.account == "222222222222"

        def test_the_module_marker_alone(cleanrooms_mock):
            assert (cleanrooms_mock.account, cleanrooms_mock.region) == (
                "123456789012", "eu-west-1")
            assert quotas.memberships_per_account == 3
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


#: A bad marker on test_N, and what its set-up failure says.
BAD_MARKERS = [
    (
        'cleanrooms("222222222222")',
        "@pytest.mark.cleanrooms on test_markers.py::test_0 takes keywords only, not "
        "('222222222222',): @pytest.mark.cleanrooms(account=",
    ),
    (
        'cleanrooms(acount="222222222222")',
        "@pytest.mark.cleanrooms on test_markers.py::test_1: unknown keyword acount; ",
    ),
    (
        'cleanrooms(regions=["eu-west-1"], quota={})',
        "@pytest.mark.cleanrooms on test_markers.py::test_2: unknown keyword quota, regions; ",
    ),
    (
        "cleanrooms(account=222222222222)",
        "@pytest.mark.cleanrooms(account=...) on test_markers.py::test_3 must be a 12-digit "
        "AWS account ID as a string, like '123456789012', not the int 222222222222",
    ),
    (
        'cleanrooms(account="2222-2222-2222")',
        "@pytest.mark.cleanrooms(account=...) on test_markers.py::test_4 must be a 12-digit "
        "AWS account ID like '123456789012', not '2222-2222-2222'",
    ),
    (
        'cleanrooms(region="sa-east-1")',
        "@pytest.mark.cleanrooms(region=...) on test_markers.py::test_5: AWS Clean Rooms has "
        "no endpoint in region 'sa-east-1'; use one of ap-northeast-1",
    ),
    (
        'cleanrooms(quotas=["memberships_per_account"])',
        "@pytest.mark.cleanrooms(quotas=...) on test_markers.py::test_6 must be a mapping",
    ),
    (
        'cleanrooms(quotas={"members_per_account": 2})',
        "@pytest.mark.cleanrooms(quotas=...) on test_markers.py::test_7: Unknown Clean Rooms "
        "quota 'members_per_account'",
    ),
]


# Without a fixture too: the marker brings the cleanrooms_mock fixture, so it is always checked.
@pytest.mark.parametrize("fixture", ["cleanrooms_client", ""], ids=["with-fixture", "marker-alone"])
def test_a_bad_marker_fails_the_set_up_naming_the_marker(
    pytester: pytest.Pytester, fixture: str
) -> None:
    tests = [
        f"@pytest.mark.{marker}\n"
        f"def test_{number}({fixture}):\n"
        "    raise AssertionError('the test ran')\n"
        for number, (marker, _) in enumerate(BAD_MARKERS)
    ]
    pytester.makepyfile(test_markers="import pytest\n\n\n" + "\n\n".join(tests))

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")

    result.assert_outcomes(errors=len(BAD_MARKERS))
    output = result.stdout.str()
    for _, message in BAD_MARKERS:
        assert message in output
    assert "the test ran" not in output and "ClientError" not in output
    assert "Traceback" not in output


def test_a_bad_class_marker_is_named_in_each_tests_set_up(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_class="""
        import pytest

        @pytest.mark.cleanrooms(region="eu-west-7")
        class TestIt:
            def test_one(self, cleanrooms_mock):
                pass

            @pytest.mark.cleanrooms(region="eu-west-1")  # its own region: the class's is unused
            def test_two(self, cleanrooms_mock):
                pass

            @pytest.mark.cleanrooms(account="222222222222")
            def test_three(self, cleanrooms_mock):
                pass
        """
    )
    # -rN: no short summary, which repeats each error (untruncated where CI is set).
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rN")
    result.assert_outcomes(passed=1, errors=2)
    assert (
        result.stdout.str().count(
            "@pytest.mark.cleanrooms(region=...) on test_class.py::TestIt: AWS Clean Rooms has "
            "no endpoint in region 'eu-west-7'"
        )
        == 2
    )


@pytest.mark.parametrize(
    ("ini", "message"),
    [
        (
            "cleanrooms_account = 12345",
            "the cleanrooms_account ini option must be a 12-digit AWS account ID like "
            "'123456789012', not '12345'",
        ),
        ("cleanrooms_account = 1234 5678 9012", "not '1234 5678 9012'"),
        (
            "cleanrooms_region = us-east-7",
            "the cleanrooms_region ini option: AWS Clean Rooms has no endpoint in region "
            "'us-east-7'",
        ),
        ("cleanrooms_region = ca-central-1", "no endpoint in region 'ca-central-1'"),
    ],
)
def test_a_bad_ini_option_stops_the_run_before_any_test(
    pytester: pytest.Pytester, ini: str, message: str
) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile(test_any="def test_it():\n    raise AssertionError('the test ran')\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    errors = result.stderr.str()
    assert errors.startswith(f"ERROR: the {ini.split()[0]} ini option") and message in errors
    assert f"(ini file {pytester.path / 'tox.ini'})" in errors
    assert "the test ran" not in result.stdout.str()


# ---- cleanrooms-mock serve: --port, --host, --state -------------------------------------------


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}
    env.update(AWS_ACCESS_KEY_ID="ignored", AWS_SECRET_ACCESS_KEY="ignored")
    return env


def refused(*arguments: str, without_yaml: bool = False) -> subprocess.CompletedProcess[str]:
    """``cleanrooms-mock serve ARGUMENTS``, expected to refuse to start (else it times out)."""
    # PyYAML made unimportable once the CLI is loaded (moto's own dependencies import it).
    hide = "sys.modules['yaml'] = None; " if without_yaml else ""
    code = f"import sys; from cleanrooms_mock.cli import main; {hide}sys.exit(main(sys.argv[1:]))"
    process = subprocess.run(
        [sys.executable, "-c", code, "serve", *arguments],
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_SECONDS,
        env=_environment(),
    )
    assert "Traceback" not in process.stderr
    assert "AWS Clean Rooms on http" not in process.stdout  # it never served
    return process


@pytest.mark.parametrize("port", ["65536", "-1", "abc", "4566.0", "٤٥٦٦", ""])
def test_a_port_out_of_range_is_a_usage_error(port: str) -> None:
    process = refused("--port", port)
    assert process.returncode == 2
    assert "error: argument --port: " in process.stderr
    assert "1-65535, or 0 for a free port" in process.stderr


def test_a_port_in_use_says_how_to_pick_another() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        process = refused("--port", str(taken.getsockname()[1]))
    assert process.returncode == 1
    assert "cannot start" in process.stderr and "Address already in use" in process.stderr
    assert "--port 0 for a free one" in process.stderr
    assert "--endpoint-url, or AWS_ENDPOINT_URL_CLEANROOMS" in process.stderr


@pytest.mark.parametrize("way", ["serve", "CleanRoomsServer"])
def test_the_port_in_use_hint_names_the_endpoint_setting_of_every_service(way: str) -> None:
    # The server answers STS and moto's services too: AWS_ENDPOINT_URL points them all at it.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        if way == "serve":
            said = refused("--port", str(port)).stderr
        else:
            with pytest.raises(OSError) as caught:
                CleanRoomsServer(port=port).start()
            said = str(caught.value)
    assert "AWS_ENDPOINT_URL_CLEANROOMS for Clean Rooms alone" in said
    assert "AWS_ENDPOINT_URL for every service" in said


@pytest.mark.parametrize("host", ["192.0.2.1", "198.51.100.7", "nosuch.invalid"])
def test_a_host_that_cannot_be_bound_says_which_hosts_can(host: str) -> None:
    process = refused("--host", host, "--port", "0")
    assert process.returncode == 1
    assert "cannot start: [Errno" in process.stderr
    assert f"cannot listen on {host}:0" in process.stderr
    assert "--host must be an address of this machine: 127.0.0.1" in process.stderr


def _missing_folder(tmp: Path) -> str:
    return str(tmp / "no" / "such" / "state.json")


def _folder_is_a_file(tmp: Path) -> str:
    (tmp / "notes").write_text("a file")
    return str(tmp / "notes" / "state.json")


def _a_folder_named_json(tmp: Path) -> str:
    (tmp / "state.json").mkdir()
    return str(tmp / "state.json")


def _a_fifo(tmp: Path) -> str:
    os.mkfifo(tmp / "state.json")
    return str(tmp / "state.json")


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (_missing_folder, "/no/such' does not exist; create the folder first"),
        (_folder_is_a_file, "/notes' is a file, not a folder"),
        (_a_folder_named_json, "state.json' is not a regular file"),
        (_a_fifo, "state.json' is not a regular file"),
        (lambda tmp: str(tmp / "state.txt"), "unknown file type '.txt'; name it *.json"),
        (lambda tmp: str(tmp / "state"), "unknown file type '(none)'"),
        (lambda tmp: str(tmp / "state.json.bak"), "unknown file type '.bak'"),
        pytest.param(
            lambda tmp: "/sys/state.json",
            "cannot write in its folder '/sys' (Permission denied); choose a folder",
            marks=pytest.mark.skipif(sys.platform != "linux", reason="sysfs is Linux's"),
        ),
    ],
    ids=[
        "missing folder",
        "folder is a file",
        "a folder",
        "a FIFO",
        ".txt",
        "none",
        ".bak",
        "/sys",
    ],
)
def test_a_state_file_that_could_not_be_saved_is_refused_at_start(
    tmp_path: Path, state: Callable[[Path], str], message: str
) -> None:
    path = state(tmp_path)
    before = sorted(tmp_path.rglob("*"))

    process = refused("--port", "0", "--state", path)

    assert process.returncode == 2
    assert f"error: argument --state: state file {path!r}" in process.stderr
    assert message in process.stderr
    assert sorted(tmp_path.rglob("*")) == before  # no probe or temporary file left


def test_the_failing_input_of_the_issue_is_refused_before_serving() -> None:
    process = refused("--state", "/nonexistent/dir/x.json")
    assert process.returncode == 2
    assert "the folder '/nonexistent/dir' does not exist" in process.stderr


@pytest.mark.parametrize("name", ["state.yaml", "state.yml", "STATE.YML"])
def test_a_yaml_state_file_without_pyyaml_says_to_install_it(tmp_path: Path, name: str) -> None:
    process = refused("--port", "0", "--state", str(tmp_path / name), without_yaml=True)
    assert process.returncode == 2
    assert "a YAML state file needs PyYAML: pip install pyyaml, or name the file *.json" in (
        process.stderr
    )
    assert list(tmp_path.iterdir()) == []


# ---- CleanRoomsServer in a Python process -----------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "error", "message"),
    [
        ({"port": 65536}, ValueError, "port must be 1-65535, or 0 for a free port, not 65536"),
        ({"port": -80}, ValueError, "not -80"),
        ({"port": "4566"}, TypeError, "port must be an integer"),
        ({"port": 4566.0}, TypeError, "port must be an integer"),
        ({"port": True}, TypeError, "port must be an integer"),
        ({"host": None}, TypeError, "host must be an address like '127.0.0.1'"),
        ({"state": "/nonexistent/dir/x.json"}, ValueError, "'/nonexistent/dir' does not exist"),
        ({"state": "state.csv"}, ValueError, "unknown file type '.csv'"),
    ],
)
def test_the_server_refuses_bad_settings_when_made(
    settings: dict[str, Any], error: type, message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        CleanRoomsServer(**{"port": 0, **settings})
    assert not CleanRoomsMock.active()


def test_the_server_refuses_yaml_without_pyyaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)  # as if PyYAML were not installed
    with pytest.raises(ValueError, match="needs PyYAML: pip install pyyaml"):
        CleanRoomsServer(port=0, state=tmp_path / "state.yaml")


def test_a_state_folder_gone_before_start_is_refused_and_the_start_can_be_retried(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "states"
    folder.mkdir()
    server = CleanRoomsServer(port=0, state=folder / "state.json")
    folder.rmdir()

    with pytest.raises(ValueError, match="states' does not exist"):
        server.start()
    assert not CleanRoomsMock.active()

    folder.mkdir()
    with server:
        creator = boto3.client("cleanrooms", region_name=REGION, endpoint_url=server.url)
        created = create_collaboration(creator)
    saved = json.loads((folder / "state.json").read_text())
    assert saved["regions"][REGION]["collaborations"][0]["id"] == created["id"]
    assert [p.name for p in folder.iterdir()] == ["state.json"]


def test_a_yaml_state_file_is_saved_with_pyyaml(tmp_path: Path) -> None:
    yaml = pytest.importorskip("yaml")
    state = tmp_path / "state.yml"
    with CleanRoomsServer(port=0, state=state) as server:
        creator = boto3.client("cleanrooms", region_name=REGION, endpoint_url=server.url)
        created = create_collaboration(creator)
    saved = yaml.safe_load(state.read_text())
    assert saved["regions"][REGION]["collaborations"][0]["id"] == created["id"]
