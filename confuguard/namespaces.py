"""Who may publish where: the namespace each registry lets only one account (or organisation) publish to.

A namespace is *owned* when the registry lets a single account publish under it: an npm scope (an npm
user or org), a Maven groupId root (Maven Central verifies a domain or a code-host account), a Go
`host/owner` on a code host or a vanity host (whoever controls the repository or the domain), a
Hugging Face author. Two names under the same owned namespace come from the same publisher: a
look-alike there is a sibling (a fork, a renamed module, a typo the owner made), never a third
party's squat.

Some namespaces are *shared*: anyone can obtain a place in them, so the same namespace says nothing
about the publisher; the publisher is found one level down (`gopkg.in/<name>.vN` serves
`github.com/go-<name>/<name>`, which any GitHub user can create; `uk.co.<x>` groupIds belong to
unrelated domain owners).

Some owned namespaces are *personal*: anyone gets one with a free account (Maven groupIds
`io.github.<user>`, `com.github.<user>`, `io.gitlab.<user>`, `com.gitee.<user>`... are granted on
proof of a code-host account). Being its owner's own says nothing about trust: a famous artifactId
under a personal groupId (`io.github.someone:guava`) is the Maven squat that matters.

    same_publisher(a, b)   # True for com.fasterxml.jackson.core:x and com.fasterxml.jackson.databind:y
    publisher_root(pkg)    # "com.fasterxml", "github.com/stretchr", "github.com/go-yaml" for gopkg.in/yaml.v3
    personal(pkg)          # "a personal groupId: anyone with a GitHub account gets io.github.<user>"
"""

from __future__ import annotations

from confuguard import ecosystems, names
from confuguard.types import PackageId

#: Second labels of Maven groupIds that name a code host or project host: `io.github.<user>` is one
#: account's namespace (three labels), granted to anyone with an account there.
CODE_HOST_LABELS: dict[str, str] = {
    "github": "GitHub",
    "gitlab": "GitLab",
    "bitbucket": "Bitbucket",
    "gitee": "Gitee",
    "codeberg": "Codeberg",
    "sourceforge": "SourceForge",
    "googlecode": "Google Code",
    "sr": "sourcehut",
    "jitpack": "JitPack",
}
#: Second labels under a country-code top-level domain that are public registries themselves:
#: `uk.co.<name>`, `au.com.<name>`, `jp.co.<name>`... belong to unrelated domain owners.
_CC_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "go", "gv", "gob", "nic"})


def _maven_root(group: str) -> str | None:
    """The verified part of a groupId: `org.apache` for `org.apache.commons`, `io.github.user` for
    `io.github.user.tool`, `uk.co.name` for `uk.co.name.x`; None when the groupId is too short to have one."""
    labels = group.lower().split(".")
    if len(labels) >= 2 and (labels[1] in CODE_HOST_LABELS or (len(labels[0]) == 2 and labels[1] in _CC_SECOND_LEVEL)):
        return ".".join(labels[:3]) if len(labels) >= 3 else None
    return ".".join(labels[:2])


def maven_root(pkg: PackageId, ns: str) -> str | None:
    """Maven's publisher root: the verified part of the groupId (`EcosystemSpec.publisher_root`)."""
    return _maven_root(ns)


def go_root(pkg: PackageId, ns: str) -> str | None:
    """Go's publisher root: the namespace, except on gopkg.in, whose publisher is a GitHub account."""
    if ns == "gopkg.in" or ns.startswith("gopkg.in/"):
        # gopkg.in serves github.com/<user>/<pkg> as gopkg.in/<user>/<pkg>.vN and github.com/go-<pkg>/<pkg> as
        # gopkg.in/<pkg>.vN: the publisher is that GitHub account, which anyone can create for a new name
        user = ns.partition("/")[2] or "go-" + names.go_module(pkg).rsplit("/", 1)[-1]
        return f"github.com/{user}"
    return ns


def publisher_root(pkg: PackageId) -> str | None:
    """The part of `pkg`'s namespace that one account owns (lowercase), or None when it has none (the registry
    descriptor's `publisher_root`; by default the whole namespace)."""
    ns = names.namespace(pkg)
    if ns is None:
        return None
    root = ecosystems.spec(pkg.ecosystem).publisher_root
    return ns if root is None else root(pkg, ns)




def same_publisher(a: PackageId, b: PackageId) -> bool:
    """Both names sit in one owned namespace, so the same account published (or could only publish) both."""
    if a.ecosystem is not b.ecosystem:
        return False
    ra = publisher_root(a)
    return ra is not None and ra == publisher_root(b)


def personal(pkg: PackageId) -> str | None:
    """Why `pkg`'s namespace is a personal one anyone can get, or None (also for ordinary owned namespaces)."""
    check = ecosystems.spec(pkg.ecosystem).personal_namespace
    return check(pkg) if check is not None and pkg.namespace else None


def maven_personal(pkg: PackageId) -> str | None:
    """Maven's personal groupIds (`EcosystemSpec.personal_namespace`): `io.github.<user>` and the like."""
    assert pkg.namespace is not None
    labels = pkg.namespace.lower().split(".")
    host = CODE_HOST_LABELS.get(labels[1]) if len(labels) >= 3 else None
    if host is None:
        return None
    return f"{'.'.join(labels[:3])} is a personal groupId: anyone with a {host} account gets {labels[0]}.{labels[1]}.<user>"


def owner_only(pkg: PackageId) -> str:
    """Words for a same-publisher look-alike: the namespace `pkg` sits in and who alone can publish there."""
    root = publisher_root(pkg) or names.namespace(pkg) or ""
    return f"same namespace: in {ecosystems.spec(pkg.ecosystem).namespace_owner.format(root=root)}; a sibling, not a squat"


__all__ = ["CODE_HOST_LABELS", "owner_only", "personal", "publisher_root", "same_publisher"]
