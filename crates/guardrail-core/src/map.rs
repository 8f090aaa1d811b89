//! [`Map`]: the object of a [`Value`], keys in the order the source gave them.
//!
//! A plain vector of entries searched linearly. Objects in plans and states are small (a few to a
//! few dozen keys), so a linear scan beats hashing, and the map is three words: a [`Value`] is
//! 32 bytes with it instead of 80 with an `IndexMap` (whose hash table, entry vector and hasher
//! every `Null` and `Bool` would carry too). On a 100k-resource plan that halves peak memory.
//! The methods are `IndexMap`'s names and meanings, so code written against one reads the other.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use compact_str::CompactString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::value::Value;

/// A key of a [`Map`]: a string that keeps up to 24 bytes inline, without an allocation of its
/// own. Nearly every key of a plan is that short, and a plan has millions of keys: parsing a
/// large plan allocates a third less, and holds it in a third less memory. It reads as a `str`
/// (`Deref`), compares with `str` and `String`, and converts from and to `String`.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key(CompactString);

impl Key {
    /// A key from a string slice.
    pub fn new(s: &str) -> Key {
        Key(CompactString::new(s))
    }

    /// The key as a string slice.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        self.0.as_str()
    }
}

impl Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Key {
        Key::new(s)
    }
}

impl From<String> for Key {
    fn from(s: String) -> Key {
        Key(CompactString::from(s))
    }
}

impl From<&String> for Key {
    fn from(s: &String) -> Key {
        Key::new(s)
    }
}

impl From<&Key> for Key {
    fn from(k: &Key) -> Key {
        k.clone()
    }
}

impl From<Key> for String {
    fn from(k: Key) -> String {
        k.0.into_string()
    }
}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Key {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Key> for str {
    fn eq(&self, other: &Key) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Key> for &str {
    fn eq(&self, other: &Key) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Key> for String {
    fn eq(&self, other: &Key) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Serialize for Key {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        CompactString::deserialize(d).map(Key)
    }
}

/// An insertion-ordered map from keys to values.
#[derive(Clone, Default)]
pub struct Map {
    entries: Vec<(Key, Value)>,
}

impl Map {
    /// An empty map.
    pub const fn new() -> Map {
        Map {
            entries: Vec::new(),
        }
    }

    /// An empty map with room for `n` entries.
    pub fn with_capacity(n: usize) -> Map {
        Map {
            entries: Vec::with_capacity(n),
        }
    }

    /// A map of these entries, which the caller knows to have unique keys.
    pub(crate) fn from_entries(entries: Vec<(Key, Value)>) -> Map {
        Map { entries }
    }

    /// The entries, in order.
    pub(crate) fn into_entries(self) -> Vec<(Key, Value)> {
        self.entries
    }

    /// Room for at least `additional` more entries, and no more than that.
    pub fn reserve_exact(&mut self, additional: usize) {
        self.entries.reserve_exact(additional);
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The position of `key`.
    pub fn get_index_of<Q: AsRef<str> + ?Sized>(&self, key: &Q) -> Option<usize> {
        self.entries.iter().position(|(k, _)| k == key.as_ref())
    }

    /// The value of `key`.
    pub fn get<Q: AsRef<str> + ?Sized>(&self, key: &Q) -> Option<&Value> {
        self.entries
            .iter()
            .find(|(k, _)| k == key.as_ref())
            .map(|(_, v)| v)
    }

    /// The stored key and value of `key`.
    pub fn get_key_value<Q: AsRef<str> + ?Sized>(&self, key: &Q) -> Option<(&Key, &Value)> {
        self.entries
            .iter()
            .find(|(k, _)| k == key.as_ref())
            .map(|(k, v)| (k, v))
    }

    /// Mutable access to the value of `key`.
    pub fn get_mut<Q: AsRef<str> + ?Sized>(&mut self, key: &Q) -> Option<&mut Value> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == key.as_ref())
            .map(|(_, v)| v)
    }

    /// The entry at `index`.
    pub fn get_index(&self, index: usize) -> Option<(&Key, &Value)> {
        self.entries.get(index).map(|(k, v)| (k, v))
    }

    /// The entry at `index`, its value mutable.
    pub fn get_index_mut(&mut self, index: usize) -> Option<(&Key, &mut Value)> {
        self.entries.get_mut(index).map(|(k, v)| (&*k, v))
    }

    /// Whether `key` is present.
    pub fn contains_key<Q: AsRef<str> + ?Sized>(&self, key: &Q) -> bool {
        self.get_index_of(key).is_some()
    }

    /// Sets `key` to `value`. An existing key keeps its position and its old value is returned;
    /// a new key goes last.
    pub fn insert(&mut self, key: impl Into<Key>, value: Value) -> Option<Value> {
        let key = key.into();
        match self.get_mut(&key) {
            Some(slot) => Some(std::mem::replace(slot, value)),
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }

    /// Appends an entry without looking for an existing key: for builders that know the key is
    /// new (a parser's object, a copy of another map), where the lookup would only cost time.
    pub(crate) fn push_unique(&mut self, key: Key, value: Value) {
        self.entries.push((key, value));
    }

    /// Removes `key`, keeping the order of the rest.
    pub fn shift_remove<Q: AsRef<str> + ?Sized>(&mut self, key: &Q) -> Option<Value> {
        let i = self.get_index_of(key)?;
        Some(self.entries.remove(i).1)
    }

    /// Removes `key`, moving the last entry into its place.
    pub fn swap_remove<Q: AsRef<str> + ?Sized>(&mut self, key: &Q) -> Option<Value> {
        let i = self.get_index_of(key)?;
        Some(self.entries.swap_remove(i).1)
    }

    /// Removes `key`, keeping the order of the rest.
    pub fn remove<Q: AsRef<str> + ?Sized>(&mut self, key: &Q) -> Option<Value> {
        self.shift_remove(key)
    }

    /// The entry of `key`, to read or insert.
    pub fn entry(&mut self, key: impl Into<Key>) -> Entry<'_> {
        let key = key.into();
        match self.get_index_of(&key) {
            Some(index) => Entry::Occupied(OccupiedEntry { map: self, index }),
            None => Entry::Vacant(VacantEntry { map: self, key }),
        }
    }

    /// Keeps the entries for which `keep` returns true.
    pub fn retain(&mut self, mut keep: impl FnMut(&Key, &mut Value) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    /// The first entry.
    pub fn first(&self) -> Option<(&Key, &Value)> {
        self.entries.first().map(|(k, v)| (k, v))
    }

    /// The last entry.
    pub fn last(&self) -> Option<(&Key, &Value)> {
        self.entries.last().map(|(k, v)| (k, v))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Key> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values, in order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator + Clone {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The values, mutable, in order.
    pub fn values_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = &mut Value> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// The entries, in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.entries.iter())
    }

    /// The entries, values mutable, in order.
    pub fn iter_mut(&mut self) -> IterMut<'_> {
        IterMut(self.entries.iter_mut())
    }

    /// Sorts the entries by key.
    pub fn sort_keys(&mut self) {
        self.entries.sort_by(|a, b| a.0.cmp(&b.0));
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Maps are equal when they hold the same keys with equal values, in any order (as `IndexMap`
/// and JSON objects compare).
impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len()
            && self
                .entries
                .iter()
                .all(|(k, v)| other.get(k).is_some_and(|w| w == v))
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// An entry of a [`Map`], from [`Map::entry`].
pub enum Entry<'a> {
    /// The key is present.
    Occupied(OccupiedEntry<'a>),
    /// The key is absent.
    Vacant(VacantEntry<'a>),
}

/// A present key's entry.
pub struct OccupiedEntry<'a> {
    map: &'a mut Map,
    index: usize,
}

/// An absent key's entry.
pub struct VacantEntry<'a> {
    map: &'a mut Map,
    key: Key,
}

impl<'a> Entry<'a> {
    /// The value, inserting `default` first when absent.
    pub fn or_insert(self, default: Value) -> &'a mut Value {
        self.or_insert_with(|| default)
    }

    /// The value, inserting `make()` first when absent.
    pub fn or_insert_with(self, make: impl FnOnce() -> Value) -> &'a mut Value {
        let (map, index) = match self {
            Entry::Occupied(o) => (o.map, o.index),
            Entry::Vacant(v) => {
                v.map.entries.push((v.key, make()));
                let index = v.map.entries.len() - 1;
                (v.map, index)
            }
        };
        // the index is in range: it was just found or just pushed
        &mut map.entries[index].1
    }

    /// The value, inserting `Value::default()` (null) first when absent.
    pub fn or_default(self) -> &'a mut Value {
        self.or_insert_with(Value::default)
    }

    /// The key.
    pub fn key(&self) -> &str {
        match self {
            Entry::Occupied(o) => o.map.entries.get(o.index).map_or("", |(k, _)| k),
            Entry::Vacant(v) => &v.key,
        }
    }
}

/// Iterator over a map's entries.
#[derive(Clone)]
pub struct Iter<'a>(std::slice::Iter<'a, (Key, Value)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a Key, &'a Value);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// Iterator over a map's entries, values mutable.
pub struct IterMut<'a>(std::slice::IterMut<'a, (Key, Value)>);

impl<'a> Iterator for IterMut<'a> {
    type Item = (&'a Key, &'a mut Value);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (&*k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for IterMut<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (&*k, v))
    }
}

impl ExactSizeIterator for IterMut<'_> {}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a Key, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a Key, &'a mut Value);
    type IntoIter = IterMut<'a>;
    fn into_iter(self) -> IterMut<'a> {
        self.iter_mut()
    }
}

impl IntoIterator for Map {
    type Item = (Key, Value);
    type IntoIter = std::vec::IntoIter<(Key, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<K: Into<Key>> FromIterator<(K, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Map {
        let mut map = Map::new();
        map.extend(iter);
        map
    }
}

impl<K: Into<Key>> Extend<(K, Value)> for Map {
    fn extend<I: IntoIterator<Item = (K, Value)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K: Into<Key>, const N: usize> From<[(K, Value); N]> for Map {
    fn from(items: [(K, Value); N]) -> Map {
        items.into_iter().collect()
    }
}

impl std::ops::Index<&str> for Map {
    type Output = Value;
    /// The value of `key`; null when absent (never panics).
    fn index(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_insertion_order_and_replaces_in_place() {
        let mut m = Map::new();
        m.insert("b", Value::Bool(true));
        m.insert("a", Value::Null);
        assert_eq!(m.insert("b", Value::Bool(false)), Some(Value::Bool(true)));
        assert_eq!(m.keys().cloned().collect::<Vec<_>>(), vec!["b", "a"]);
        assert_eq!(m.get("b"), Some(&Value::Bool(false)));
        *m.entry("c").or_insert(Value::Null) = Value::Bool(true);
        assert_eq!(m.get_index_of("c"), Some(2));
        assert_eq!(m.shift_remove("b"), Some(Value::Bool(false)));
        assert_eq!(m.keys().cloned().collect::<Vec<_>>(), vec!["a", "c"]);
        assert_eq!(std::mem::size_of::<Value>(), 32);
    }
}
