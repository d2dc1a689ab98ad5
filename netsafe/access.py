"""Who may do what. Roles and their permissions are data (seeds/roles.csv);
users map an identity (the e-mail claim of the province's OpenID provider)
to a role and, for agency reporters, an agency. Users are kept in raw
landing (raw.user_events, append-only: granted / revoked), outside the
served warehouse that every build replaces; every change is audited.

Without sign-in configured the dashboard has a single local operator (the
person at the machine, as `make run` has always had) who holds every
permission, and it listens on 127.0.0.1 only.
"""

from __future__ import annotations

import csv
import ipaddress
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from netsafe import audit, dates
from netsafe.contract import new_record_id
from netsafe.errors import NetsafeError
from netsafe.settings import PROJECT_DIR, Settings
from netsafe.store import open_store

PERMISSIONS = (
    "view_all",  # every agency's data, every page
    "ingest_any",  # receive files on behalf of any agency, with a chosen date and channel
    "ingest_own",  # upload one's own agency's reports (server clock, channel upload)
    "report",  # generate the consolidated report
    "remind",  # generate reminder letters
    "quality",  # run quality checks
    "withdraw",  # withdraw a landed version
    "approve",  # approve and reopen periods
    "audit",  # read the audit trail
    "manage_users",  # add and remove users
    "manage_registry",  # import the province's list of reporters (commune People's Committees)
)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LOCAL_IDENTITY = "local"


@dataclass(frozen=True)
class Role:
    role: str
    name_vi: str
    name_en: str
    permissions: frozenset[str]


@dataclass(frozen=True)
class User:
    identity: str
    role: str
    agency_code: str | None
    permissions: frozenset[str]

    def can(self, permission: str) -> bool:
        if permission not in PERMISSIONS:
            raise ValueError(f"unknown permission {permission!r}")
        return permission in self.permissions

    def sees_agency(self, agency_code: str | None, related: frozenset[str] = frozenset()) -> bool:
        """Whether the user may see an agency's data: everyone's with
        view_all; otherwise only their own agency (or those related to it on
        the registry chain)."""
        return self.can("view_all") or (
            agency_code is not None and agency_code in {self.agency_code, *related}
        )


LOCAL_USER = User(LOCAL_IDENTITY, "local", None, frozenset(PERMISSIONS))


# -- sign-in configuration ------------------------------------------------------
def auth_secrets_path() -> Path:
    """Streamlit's secrets file holding the [auth] section for st.login:
    NETSAFE_AUTH_SECRETS, default .streamlit/secrets.toml in the project."""
    return Path(os.environ.get("NETSAFE_AUTH_SECRETS", PROJECT_DIR / ".streamlit" / "secrets.toml"))


def sign_in_configured(path: Path | None = None) -> bool:
    """Whether an OpenID Connect provider is configured for the dashboard:
    an [auth] section with redirect_uri, cookie_secret and the provider's
    client_id and server_metadata_url (directly, or in one named provider)."""
    path = path or auth_secrets_path()
    if not path.is_file():
        return False
    try:
        auth = tomllib.loads(path.read_text(encoding="utf-8")).get("auth", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False
    if not (auth.get("redirect_uri") and auth.get("cookie_secret")):
        return False
    providers = [auth] + [value for value in auth.values() if isinstance(value, dict)]
    return any(p.get("client_id") and p.get("server_metadata_url") for p in providers)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


SIGN_IN_HOWTO = (
    "Chỉ mở bảng điều khiển ra mạng khi đã cấu hình đăng nhập: thêm mục [auth] (redirect_uri kết thúc bằng "
    "/oauth2callback, cookie_secret, client_id, client_secret, server_metadata_url của hệ thống đăng nhập "
    "của tỉnh) vào .streamlit/secrets.toml (hoặc tệp NETSAFE_AUTH_SECRETS) và thêm người dùng bằng "
    "`netsafe users add`.",
    "The dashboard is served beyond this machine only with sign-in configured: add an [auth] section "
    "(redirect_uri ending in /oauth2callback, cookie_secret, and the province identity provider's "
    "client_id, client_secret and server_metadata_url) to .streamlit/secrets.toml (or the file "
    "NETSAFE_AUTH_SECRETS names) and add users with `netsafe users add`.",
)


# -- roles and users -------------------------------------------------------------
def roles(settings: Settings) -> dict[str, Role]:
    with (settings.seed_dir / "roles.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    result = {}
    for row in rows:
        permissions = frozenset(p for p in row["permissions"].split("|") if p)
        unknown = permissions - set(PERMISSIONS)
        if unknown:
            raise NetsafeError(
                f"seeds/roles.csv: vai trò {row['role']} có quyền không xác định {sorted(unknown)}.",
                f"seeds/roles.csv: role {row['role']} has unknown permissions {sorted(unknown)}.",
            )
        result[row["role"]] = Role(row["role"], row["name_vi"], row["name_en"], permissions)
    return result


def normalise(identity: str) -> str:
    return identity.strip().lower()


CURRENT_USERS_SQL = """
select email, event_kind, role, agency_code, actor, landed_at
from (
    select *, row_number() over (partition by email order by landed_at desc, event_id desc) as recency
    from raw.user_events
) as ranked
where recency = 1 and event_kind = 'granted'
order by email
"""


def list_users(settings: Settings) -> pd.DataFrame:
    """Current users: email, role, agency_code, granted by (actor), since (landed_at)."""
    return open_store(settings).read_raw(CURRENT_USERS_SQL)


def find_user(settings: Settings, identity: str | None) -> User | None:
    """The user an identity maps to; None when unknown (or removed)."""
    if not identity:
        return None
    frame = list_users(settings)
    frame = frame[frame.email == normalise(identity)]
    if frame.empty:
        return None
    row = frame.iloc[0]
    role = roles(settings).get(row.role)
    if role is None:
        return None
    agency = row.agency_code if isinstance(row.agency_code, str) else None
    return User(row.email, row.role, agency, role.permissions)


def add_user(
    settings: Settings, email: str, role: str, agency_code: str | None, *, actor: str, actor_role: str = "cli"
) -> User:
    """Grant a role to an identity (replacing any earlier role); audited."""
    email = normalise(email)
    known = roles(settings)
    problem = None
    if not EMAIL.match(email):
        problem = (f"{email!r} không phải địa chỉ thư điện tử.", f"{email!r} is not an e-mail address.")
    elif role not in known:
        names = ", ".join(known)
        problem = (
            f"Vai trò {role!r} không có; chọn một trong: {names}.",
            f"No role {role!r}; use one of: {names}.",
        )
    elif role == "reporter" and not agency_code:
        problem = (
            "Cán bộ đầu mối phải gắn với một đơn vị (--agency).",
            "An agency reporter needs an agency (--agency).",
        )
    elif agency_code and agency_code not in _agency_codes(settings):
        problem = (
            f"Mã đơn vị {agency_code!r} không có trong danh mục.",
            f"Unknown agency code {agency_code!r}.",
        )
    if problem:
        audit.record(
            settings,
            actor=actor,
            role=actor_role,
            action="user_add",
            object_=email,
            outcome="refused",
            details=problem[1],
        )
        raise NetsafeError(*problem)
    agency = agency_code if role == "reporter" else None
    _append(settings, email, "granted", role, agency, actor)
    audit.record(
        settings,
        actor=actor,
        role=actor_role,
        action="user_add",
        object_=email,
        details=f"role={role}" + (f" agency={agency}" if agency else ""),
    )
    return User(email, role, agency, known[role].permissions)


def remove_user(settings: Settings, email: str, *, actor: str, actor_role: str = "cli") -> None:
    email = normalise(email)
    if find_user(settings, email) is None:
        raise NetsafeError(f"Không có người dùng {email}.", f"No user {email}.")
    _append(settings, email, "revoked", None, None, actor)
    audit.record(settings, actor=actor, role=actor_role, action="user_remove", object_=email)


def render_users(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "Chưa có người dùng nào / no users yet (netsafe users add EMAIL --role ROLE)."
    return "\n".join(
        f"{row.email:<36} {row.role:<10} {row.agency_code if isinstance(row.agency_code, str) else '':<18} "
        f"{row.landed_at:%d/%m/%Y %H:%M} ({row.actor})"
        for row in frame.itertuples()
    )


def _append(
    settings: Settings, email: str, kind: str, role: str | None, agency: str | None, actor: str
) -> None:
    now = dates.now()
    open_store(settings).append_record(
        "user_events",
        {
            "event_id": new_record_id(now),
            "email": email,
            "event_kind": kind,
            "role": role,
            "agency_code": agency,
            "actor": actor,
            "landed_at": now,
        },
    )


def _agency_codes(settings: Settings) -> set[str]:
    with (settings.seed_dir / "agencies.csv").open(encoding="utf-8") as handle:
        return {row["agency_code"] for row in csv.DictReader(handle)}
