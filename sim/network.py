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


class Ties:
    """Undirected ties over member slots, stored as edge lists plus a cached CSR matrix."""

    def __init__(self) -> None:
        self._a: list[np.ndarray] = []
        self._b: list[np.ndarray] = []
        self._matrix: sparse.csr_matrix | None = None
        self._slots = 0

    def connect(self, a: np.ndarray, b: np.ndarray) -> None:
        """Add ties a[k]–b[k]; self-ties are dropped, duplicates merge."""
        a = np.asarray(a, dtype=np.int64).ravel()
        b = np.asarray(b, dtype=np.int64).ravel()
        keep = a != b
        if keep.any():
            self._a.append(a[keep])
            self._b.append(b[keep])
            self._matrix = None

    def connect_all(self, members: np.ndarray) -> None:
        """Tie every pair in ``members`` (an offline event's table)."""
        members = np.asarray(members, dtype=np.int64)
        if len(members) > 1:
            i, j = np.triu_indices(len(members), k=1)
            self.connect(members[i], members[j])

    def matrix(self, slots: int) -> sparse.csr_matrix:
        """Symmetric 0/1 adjacency over ``slots`` members."""
        if self._matrix is None or self._slots != slots:
            a = np.concatenate(self._a) if self._a else np.empty(0, np.int64)
            b = np.concatenate(self._b) if self._b else np.empty(0, np.int64)
            rows, cols = np.concatenate([a, b]), np.concatenate([b, a])
            m = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(slots, slots))
            m.data[:] = 1.0
            self._matrix, self._slots = m, slots
        return self._matrix

    def degree(self, slots: int) -> np.ndarray:
        return np.asarray(self.matrix(slots).sum(axis=1)).ravel()

    def to_networkx(self, slots: int, present: np.ndarray | None = None) -> nx.Graph:
        """The tie graph for inspection or drawing, optionally only present members."""
        graph = nx.from_scipy_sparse_array(self.matrix(slots))
        if present is not None:
            graph = graph.subgraph(np.flatnonzero(present).tolist()).copy()
        return graph


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
