//! RFC 6962 / RFC 9162 Merkle trees over the log's entries: the tree head (root), and
//! inclusion and consistency proofs with the algorithms that check them. A leaf is the
//! 32 bytes of an entry's hash; leaves and nodes are hashed with distinct prefixes (0x00,
//! 0x01) so that no leaf can pose as a node, as Certificate Transparency does.

use sha2::{Digest, Sha256};

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// Why a proof does not hold.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MerkleError {
    #[error("leaf index {index} is outside a tree of {size} entries")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("tree size {old} is larger than tree size {new}: a log never shrinks")]
    Shrinks { old: u64, new: u64 },
    #[error("the proof has the wrong number of hashes for these tree sizes")]
    WrongLength,
    #[error("the proof does not lead to the checkpoint's root hash")]
    RootMismatch,
}

/// SHA-256 of the empty string: the root of an empty tree.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The leaf hash of `data`: SHA-256(0x00 || data).
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

/// An interior node: SHA-256(0x01 || left || right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The largest power of two strictly below `n` (for `n >= 2`): where RFC 6962 splits.
fn split(n: usize) -> usize {
    debug_assert!(n >= 2);
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// The Merkle tree hash (root) of the given leaf hashes.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The inclusion proof (audit path) of leaf `index` in the tree of `leaves`.
pub fn inclusion_proof(index: usize, leaves: &[Hash]) -> Result<Vec<Hash>, MerkleError> {
    if index >= leaves.len() {
        return Err(MerkleError::IndexOutOfRange {
            index: index as u64,
            size: leaves.len() as u64,
        });
    }
    let mut path = Vec::new();
    let (mut m, mut d) = (index, leaves);
    // Walk down from the root; the siblings come out root-first, the proof wants them
    // leaf-first.
    while d.len() > 1 {
        let k = split(d.len());
        if m < k {
            path.push(root(&d[k..]));
            d = &d[..k];
        } else {
            path.push(root(&d[..k]));
            m -= k;
            d = &d[k..];
        }
    }
    path.reverse();
    Ok(path)
}

/// The consistency proof that the tree of the first `old` leaves is a prefix of the tree
/// of all `leaves` (RFC 9162 2.1.4.1).
pub fn consistency_proof(old: usize, leaves: &[Hash]) -> Result<Vec<Hash>, MerkleError> {
    if old > leaves.len() {
        return Err(MerkleError::Shrinks {
            old: old as u64,
            new: leaves.len() as u64,
        });
    }
    if old == 0 || old == leaves.len() {
        return Ok(Vec::new());
    }
    let mut path = Vec::new();
    let (mut m, mut d, mut complete) = (old, leaves, true);
    loop {
        if m == d.len() {
            if !complete {
                path.push(root(d));
            }
            break;
        }
        let k = split(d.len());
        if m <= k {
            path.push(root(&d[k..]));
            d = &d[..k];
        } else {
            path.push(root(&d[..k]));
            m -= k;
            d = &d[k..];
            complete = false;
        }
    }
    path.reverse();
    Ok(path)
}

/// Checks an inclusion proof (RFC 9162 2.1.3.2).
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    path: &[Hash],
    root: &Hash,
) -> Result<(), MerkleError> {
    if index >= size {
        return Err(MerkleError::IndexOutOfRange { index, size });
    }
    let (mut fnode, mut snode, mut r) = (index, size - 1, *leaf);
    for p in path {
        if snode == 0 {
            return Err(MerkleError::WrongLength);
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(MerkleError::WrongLength);
    }
    if r != *root {
        return Err(MerkleError::RootMismatch);
    }
    Ok(())
}

/// Checks a consistency proof between two tree heads (RFC 9162 2.1.4.2).
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    path: &[Hash],
) -> Result<(), MerkleError> {
    if old_size > new_size {
        return Err(MerkleError::Shrinks {
            old: old_size,
            new: new_size,
        });
    }
    if old_size == new_size || old_size == 0 {
        if !path.is_empty() {
            return Err(MerkleError::WrongLength);
        }
        let same = old_size == 0 || old_root == new_root;
        return same.then_some(()).ok_or(MerkleError::RootMismatch);
    }
    if path.is_empty() {
        return Err(MerkleError::WrongLength);
    }
    let mut owned;
    let path = if old_size.is_power_of_two() {
        owned = vec![*old_root];
        owned.extend_from_slice(path);
        &owned[..]
    } else {
        path
    };
    let (mut fnode, mut snode) = (old_size - 1, new_size - 1);
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    let (mut fr, mut sr) = (path[0], path[0]);
    for c in &path[1..] {
        if snode == 0 {
            return Err(MerkleError::WrongLength);
        }
        if fnode & 1 == 1 || fnode == snode {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(MerkleError::WrongLength);
    }
    if fr != *old_root || sr != *new_root {
        return Err(MerkleError::RootMismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The leaves of the RFC 6962 test vectors used by Certificate Transparency's own
    /// implementations.
    fn ct_leaves() -> Vec<Hash> {
        let data: [&[u8]; 8] = [
            b"",
            b"\x00",
            b"\x10",
            b"\x20\x21",
            b"\x30\x31",
            b"\x40\x41\x42\x43",
            b"\x50\x51\x52\x53\x54\x55\x56\x57",
            b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
        ];
        data.iter().map(|d| leaf_hash(d)).collect()
    }

    #[test]
    fn roots_match_the_certificate_transparency_test_vectors() {
        let leaves = ct_leaves();
        assert_eq!(
            hex::encode(empty_root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex::encode(root(&leaves[..1])),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        );
        assert_eq!(
            hex::encode(root(&leaves)),
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
        );
    }

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n as u32).map(|i| leaf_hash(&i.to_le_bytes())).collect()
    }

    proptest! {
        /// Every leaf's proof checks against the root, and a proof with any one hash
        /// changed, or checked at another index, does not.
        #[test]
        fn inclusion_proofs_check_and_tampered_ones_do_not(n in 1usize..70, pick in any::<usize>(), flip in any::<usize>()) {
            let l = leaves(n);
            let r = root(&l);
            let i = pick % n;
            let p = inclusion_proof(i, &l).unwrap();
            prop_assert_eq!(verify_inclusion(i as u64, n as u64, &l[i], &p, &r), Ok(()));
            if !p.is_empty() {
                let mut bad = p.clone();
                bad[flip % p.len()][0] ^= 1;
                prop_assert!(verify_inclusion(i as u64, n as u64, &l[i], &bad, &r).is_err());
            }
            if n > 1 {
                let other = (i + 1) % n;
                prop_assert!(verify_inclusion(other as u64, n as u64, &l[i], &p, &r).is_err());
            }
        }

        /// A tree is consistent with each of its prefixes, and not with a prefix whose
        /// leaves differ.
        #[test]
        fn consistency_proofs_check_and_a_changed_prefix_does_not(n in 1usize..70, pick in any::<usize>(), flip in any::<usize>()) {
            let l = leaves(n);
            let m = pick % n + 1;
            let p = consistency_proof(m, &l).unwrap();
            let (old, new) = (root(&l[..m]), root(&l));
            prop_assert_eq!(verify_consistency(m as u64, n as u64, &old, &new, &p), Ok(()));
            let mut changed = l.clone();
            changed[flip % m][0] ^= 1;
            let other_old = root(&changed[..m]);
            prop_assert!(verify_consistency(m as u64, n as u64, &other_old, &new, &p).is_err());
            if !p.is_empty() {
                let mut bad = p.clone();
                bad[flip % p.len()][1] ^= 1;
                prop_assert!(verify_consistency(m as u64, n as u64, &old, &new, &bad).is_err());
            }
        }
    }
}
