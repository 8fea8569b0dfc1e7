"""Ties between members: the invitation tree, ties to the owner, the mesh.

WeChat groups grow by invitation, so everyone knows at least the inviter
(000); more than half usually know the owner (001); a mesh of member-member
ties is what lets a group outlive its owner's attention (001). Ties are an
undirected sparse graph over member slots; the day's arithmetic uses it as
a sparse matrix (friends posting today, friends lost).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from scipy import sparse

from sim.kernels import count_flagged_friends, count_two_flags


class Ties:
    """Undirected ties over member slots, as a sorted array of unique edges.

    Daily questions ("how many of my friends posted?", "how many left?") are
    one compiled pass over the edges; new ties are merged in batches.
    """

    def __init__(self) -> None:
        self._keys = np.empty(0, dtype=np.int64)
        self._ends = (self._keys, self._keys)
        self._pending: list[np.ndarray] = []
        self._degree = np.zeros(0)

    def connect(self, a: np.ndarray, b: np.ndarray) -> None:
        """Add ties a[k]–b[k]; self-ties are dropped, duplicates merge."""
        a = np.asarray(a, dtype=np.int64).ravel()
        b = np.asarray(b, dtype=np.int64).ravel()
        keep = a != b
        if keep.any():
            lo, hi = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
            self._pending.append(lo * _KEY + hi)

    def connect_all(self, members: np.ndarray) -> None:
        """Tie every pair in ``members`` (an offline event's table)."""
        members = np.asarray(members, dtype=np.int64)
        if len(members) > 1:
            i, j = np.triu_indices(len(members), k=1)
            self.connect(members[i], members[j])

    def edges(self) -> tuple[np.ndarray, np.ndarray]:
        """Both ends of every tie, each tie once (a < b)."""
        if self._pending:
            new = np.unique(np.concatenate(self._pending))
            self._pending.clear()
            keys = self._keys
            at = np.searchsorted(keys, new)
            known = keys[np.minimum(at, len(keys) - 1)] == new if len(keys) else np.zeros(len(new), bool)
            self._keys = np.insert(keys, at[~known], new[~known])
            self._ends = (self._keys // _KEY, self._keys % _KEY)
            self._degree = np.zeros(0)
        return self._ends

    def count_flagged(self, flags: np.ndarray) -> np.ndarray:
        """For each member, how many of their ties are flagged (or the sum of the ties' weights)."""
        return count_flagged_friends(*self.edges(), np.asarray(flags, dtype=float))

    def count_two_flags(self, first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """How many of each member's ties have ``first`` set, and how many ``second``."""
        return count_two_flags(*self.edges(), first, second)

    def degree(self, slots: int) -> np.ndarray:
        """Number of ties of each member."""
        a, b = self.edges()
        if len(self._degree) != slots:
            self._degree = (np.bincount(a, minlength=slots) + np.bincount(b, minlength=slots)).astype(float)
        return self._degree

    def matrix(self, slots: int) -> sparse.csr_matrix:
        """Symmetric 0/1 adjacency over ``slots`` members (for analysis)."""
        a, b = self.edges()
        rows, cols = np.concatenate([a, b]), np.concatenate([b, a])
        return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(slots, slots))

    def to_networkx(self, slots: int, present: np.ndarray | None = None) -> nx.Graph:
        """The tie graph for inspection or drawing, optionally only present members."""
        graph = nx.Graph()
        graph.add_nodes_from(range(slots))
        graph.add_edges_from(zip(*(x.tolist() for x in self.edges())))
        if present is not None:
            graph = graph.subgraph(np.flatnonzero(present).tolist()).copy()
        return graph


_KEY = 1 << 31


def initial_ties(
    rng: np.random.Generator, n: int, knows_owner: float, mesh_ties: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ties of a founding population: (inviters, mesh pairs a, mesh pairs b).

    Member 0 is the owner. Each later member was invited by an earlier one
    (the owner with probability ``knows_owner``, else a uniformly earlier
    member); ``mesh_ties`` extra ties per member join members who already
    share an acquaintance more often than strangers (triadic closure).
    """
    inviter = np.full(n, -1, dtype=np.int64)
    if n > 1:
        earlier = (rng.random(n - 1) * np.arange(1, n)).astype(np.int64)
        by_owner = rng.random(n - 1) < knows_owner
        inviter[1:] = np.where(by_owner, 0, earlier)
    extra = rng.poisson(mesh_ties * n / 2) if n > 2 else 0
    a = rng.integers(1, n, size=extra) if n > 2 else np.empty(0, np.int64)
    # half the mesh closes triangles through the inviter, half is random
    closing = rng.random(extra) < 0.5
    b = np.where(closing, np.maximum(inviter[a], 1), rng.integers(1, n, size=extra)) if extra else a
    return inviter, a, b
