// Reads a syntax tree (or a subtree) into a flat table in one call, walking tree-sitter's
// internal subtrees directly instead of through a `TSTreeCursor`.
//
// It yields exactly the nodes, in exactly the order, that a cursor walk with
// `ts_tree_cursor_goto_first_child` / `ts_tree_cursor_goto_next_sibling` yields from the same
// node, and for each the `TSNode` of `ts_tree_cursor_current_node`, the kind of
// `ts_node_symbol` and the field of `ts_tree_cursor_current_field_id`. The rules it follows
// are those of tree-sitter 0.27.1's `tree_cursor.c`; the crate pins that version because
// this file reads the layout of its internal headers (`subtree.h`, `language.h`, `tree.h`).
// The matcher's tests hold the two walks to the same table, entry by entry.
//
// A scan reads each tree once and has no more use for it, so it can have the read free the
// tree as it goes (what `ts_tree_delete` does, node for node): the walk has just fetched each
// subtree, where the delete would fetch it again.

#include <string.h>

#include "tree_sitter/api.h"
#include "alloc.h"
#include "atomic.h"
#include "language.h"
#include "length.h"
#include "subtree.h"
#include "tree.h"

// One node of the table. Mirrored by `Entry` in `run.rs`.
typedef struct {
  // The node's subtree (`TSNode.id`).
  const void *id;
  // Where it starts, as `TSNode.context[0..3]` has it: byte, row, column.
  uint32_t start_byte;
  uint32_t row;
  uint32_t column;
  // Where it ends (`ts_node_end_byte`).
  uint32_t end_byte;
  // The index of its parent (`UINT32_MAX` for the first node).
  uint32_t parent;
  // One past the index of its last descendant.
  uint32_t end;
  // Where its children start in the children list: left 0 here, filled by the caller.
  uint32_t first;
  // How many children it has in the table.
  uint32_t count;
  // The alias it has in its parent's production (`TSNode.context[3]`; 0: none).
  TSSymbol alias;
  // Its public kind, alias applied (`ts_node_symbol`).
  TSSymbol kind;
  // The field it is reached by, through hidden parents too (0: none).
  TSFieldId field;
  // `PYKATA_NAMED`: its kind is named (a regular symbol, as `Language::node_kind_is_named`
  // has it); `PYKATA_MISSING`: the parser put it in for a token the source lacks.
  uint16_t flags;
} PykataEntry;

#define PYKATA_NAMED 1
#define PYKATA_MISSING 2

// Where a read writes: `capacity` entries, and for each its kind and the kinds below it.
typedef struct PykataTable {
  PykataEntry *entries;
  TSSymbol *kinds;
  // For each entry, the bits (from `kind_bits`) of the kinds in its subtree.
  uint64_t *below;
  uint32_t capacity;
  // The bit of each kind id below `kind_bit_count` (a kind past it has none).
  const uint64_t *kind_bits;
  uint32_t kind_bit_count;
  // Which kinds the tree holds: bit `k % 64` of word `k / 64` is set for a node of kind `k`
  // (for the kinds below `64 * present_words`). The caller clears it.
  uint64_t *present;
  uint32_t present_words;
  // The anonymous kinds whose leaves are read (bit `k % 64` of word `k / 64`); a leaf of
  // another anonymous kind, reached by no field, is left out. NULL: every node is read.
  const uint64_t *keep_anonymous;
  uint32_t keep_words;
  // Called when the arrays are full: keeps their first `written` items and makes room for
  // more, updating `entries`, `kinds`, `below` and `capacity`. `owner` is the caller's.
  void (*grow)(struct PykataTable *table, uint32_t written);
  void *owner;
} PykataTable;

// A node whose children are being read: a visible node of the table or a hidden node
// between two of them.
typedef struct {
  const Subtree *children;
  const TSSymbol *alias_sequence;
  const TSFieldMapEntry *field_map;
  uint32_t child_count;
  uint32_t child_index;
  // The index among the children that are not extras (which the alias and field maps use).
  uint32_t structural_index;
  // Where the previous child ends (where this node starts, before the first child).
  Length position;
  // The table index of the nearest visible node: the parent of the children found here.
  uint32_t owner;
  uint16_t field_map_length;
  // The field of a child that has none of its own (a hidden node passes its own on).
  TSFieldId inherited_field;
  // Whether this node is `owner` itself, whose `end` is known once its children are read.
  bool visible;
  // Whether the walk frees this node and its children once it has read them: the read frees
  // the tree, and no other tree holds this node.
  bool owned;
} Frame;

static inline TSSymbol public_symbol(const TSLanguage *language, TSSymbol symbol) {
  return symbol == ts_builtin_sym_error ? symbol : language->public_symbol_map[symbol];
}

// The walk waits on memory more than on anything else: each subtree's data is somewhere else
// on the heap. The walk fetches each node's later children (`PREFETCH_AHEAD` ahead) as it
// reads the earlier ones. (A first pass that fetched every subtree cost more than it saved: a
// scan reads each tree right after the parse built it, while most of it is still in cache.)
#define PREFETCH_AHEAD 8

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(address) __builtin_prefetch(address)
#else
#define PREFETCH(address) ((void)(address))
#endif

static inline void prefetch(Subtree subtree) {
  if (!subtree.data.is_inline) {
    PREFETCH(subtree.ptr);
    PREFETCH((const char *)subtree.ptr + 64);
  }
}

static inline Frame frame_new(
  const TSLanguage *language,
  const SubtreeHeapData *data,
  Length position,
  uint32_t owner,
  TSFieldId inherited_field,
  bool visible,
  bool owned
) {
  const TSFieldMapEntry *field_map, *field_map_end;
  ts_language_field_map(language, data->production_id, &field_map, &field_map_end);
  Frame frame = {
    .children = (const Subtree *)data - data->child_count,
    .alias_sequence = ts_language_alias_sequence(language, data->production_id),
    .field_map = field_map,
    .child_count = data->child_count,
    .child_index = 0,
    .structural_index = 0,
    .position = position,
    .owner = owner,
    .field_map_length = (uint16_t)(field_map_end - field_map),
    .inherited_field = inherited_field,
    .visible = visible,
    .owned = owned,
  };
  uint32_t ahead = frame.child_count < PREFETCH_AHEAD ? frame.child_count : PREFETCH_AHEAD;
  for (uint32_t i = 0; i < ahead; i++) prefetch(frame.children[i]);
  return frame;
}

// Frames kept on the C stack; deeper trees move the stack to the heap.
#define INLINE_FRAMES 128

// Whether a kind is a regular symbol, as the Rust binding's `node_kind_is_named` says; the
// error kind, past the grammar's own, counts as named.
static inline bool is_named(const TSLanguage *language, TSSymbol kind) {
  if (kind >= language->symbol_count + language->alias_count) return true;
  TSSymbolMetadata metadata = language->symbol_metadata[kind];
  return metadata.named && metadata.visible;
}

// Whether a visible node is left out of the table: an anonymous leaf with no field, of a kind
// the table does not keep.
static inline bool left_out(
  const PykataTable *table,
  bool named,
  TSSymbol kind,
  uint32_t child_count,
  TSFieldId field
) {
  if (named || !table->keep_anonymous || child_count != 0 || field != 0) return false;
  return kind / 64 >= table->keep_words ||
    !(table->keep_anonymous[kind / 64] & ((uint64_t)1 << (kind % 64)));
}

static inline uint64_t kind_bit(const PykataTable *table, TSSymbol kind) {
  return kind < table->kind_bit_count ? table->kind_bits[kind] : 0;
}

// Writes entry `index` of `table`, growing it first when it is full.
static inline void put(
  PykataTable *table,
  uint32_t index,
  PykataEntry entry
) {
  if (index >= table->capacity) table->grow(table, index);
  table->entries[index] = entry;
  table->kinds[index] = entry.kind;
  table->below[index] = kind_bit(table, entry.kind);
  if (entry.kind / 64 < table->present_words) {
    table->present[entry.kind / 64] |= (uint64_t)1 << (entry.kind % 64);
  }
}

// Whether the walk's reference to the heap node `data` is the last (no other tree holds it),
// dropping the reference when it is not. The last reference is not counted down: no one else
// can see the count, and the node is freed. (A locked decrement on each node would wait for
// every table write before it to land.)
static inline bool take(SubtreeHeapData *data) {
  return data->ref_count == 1 || atomic_dec((volatile uint32_t *)&data->ref_count) == 0;
}

// Drops the walk's reference to `subtree`, freeing it when that was the last: a leaf, or a
// node whose children the walk does not read.
static inline void release(SubtreePool *pool, Subtree subtree) {
  if (subtree.data.is_inline) return;
  SubtreeHeapData *data = ts_subtree_to_mut_unsafe(subtree).ptr;
  if (data->child_count > 0) {
    ts_subtree_release(pool, subtree);
  } else if (take(data)) {
    // What `ts_subtree_release` does with a leaf.
    if (data->has_external_tokens) ts_external_scanner_state_delete(&data->external_scanner_state);
    ts_free(data);
  }
}

// Reads `root` and every node below it that a tree cursor visits (less the anonymous leaves
// `table->keep_anonymous` leaves out), in document order, into `table`, and returns how many
// nodes there are. Each entry's `below` holds the bits of its whole subtree, and its `count`
// its children; `first` is left 0. With `pool` (the walk's own), the read also frees what it
// has read of the tree: `root` must then be the tree's root, whose own reference the walk
// takes over. Memory for the walk comes from tree-sitter's allocator, which aborts when it
// has none, as tree-sitter does.
//
// `root` must be a node of a live tree (`root.id` and `root.tree` valid, as the API gives
// them), and `table` must have room for `capacity` of each of its arrays (it is grown through
// `table->grow` when the walk needs more).
static inline uint32_t read_tree(TSNode root, PykataTable *table, SubtreePool *pool) {
  const TSTree *tree = root.tree;
  const TSLanguage *language = tree->language;
  Subtree subtree = *(const Subtree *)root.id;
  TSSymbol root_symbol = root.context[3] ? (TSSymbol)root.context[3] : ts_subtree_symbol(subtree);
  TSSymbol root_kind = public_symbol(language, root_symbol);
  put(table, 0, (PykataEntry) {
    .id = root.id,
    .start_byte = root.context[0],
    .row = root.context[1],
    .column = root.context[2],
    .end_byte = root.context[0] + ts_subtree_size(subtree).bytes,
    .parent = UINT32_MAX,
    .end = 1,
    .first = 0,
    .count = 0,
    .alias = (TSSymbol)root.context[3],
    .kind = root_kind,
    .field = 0,
    .flags = (is_named(language, root_kind) ? PYKATA_NAMED : 0) |
      (ts_subtree_missing(subtree) ? PYKATA_MISSING : 0),
  });
  uint32_t count = 1;
  if (ts_subtree_child_count(subtree) == 0) {
    if (pool) release(pool, subtree);
    return count;
  }

  // The frames of the current node and its ancestors, the current node's at `depth`. Each is
  // updated where it lies: a frame is never copied.
  Frame inline_frames[INLINE_FRAMES];
  Frame *frames = inline_frames;
  uint32_t frame_capacity = INLINE_FRAMES;
  uint32_t depth = 0;
  Length start = {root.context[0], {root.context[1], root.context[2]}};
  bool root_owned = pool && take(ts_subtree_to_mut_unsafe(subtree).ptr);
  frames[0] = frame_new(language, subtree.ptr, start, 0, 0, true, root_owned);

  for (;;) {
    Frame *frame = &frames[depth];
    if (frame->child_index == frame->child_count) {
      if (frame->visible) {
        PykataEntry *entries = table->entries;
        entries[frame->owner].end = count;
        uint32_t parent = entries[frame->owner].parent;
        if (parent != UINT32_MAX) table->below[parent] |= table->below[frame->owner];
      }
      // A node's children and its own data are one block, which starts with the children.
      if (frame->owned) ts_free((void *)frame->children);
      if (depth == 0) break;
      depth--;
      continue;
    }

    const Subtree *child = &frame->children[frame->child_index];
    if (frame->child_index + PREFETCH_AHEAD < frame->child_count) {
      prefetch(frame->children[frame->child_index + PREFETCH_AHEAD]);
    }

    // What the walk needs of the child, read once from its inline or its heap data (what
    // `subtree.h`'s accessors read).
    Subtree node = *child;
    Length padding, size;
    bool extra, own_visible, missing;
    TSSymbol symbol;
    uint32_t child_count, visible_child_count;
    if (node.data.is_inline) {
      padding = (Length) {
        node.data.padding_bytes, {node.data.padding_rows, node.data.padding_columns}
      };
      size = (Length) {node.data.size_bytes, {0, node.data.size_bytes}};
      extra = node.data.extra;
      own_visible = node.data.visible;
      missing = node.data.is_missing;
      symbol = node.data.symbol;
      child_count = 0;
      visible_child_count = 0;
    } else {
      padding = node.ptr->padding;
      size = node.ptr->size;
      extra = node.ptr->extra;
      own_visible = node.ptr->visible;
      missing = node.ptr->is_missing;
      symbol = node.ptr->symbol;
      child_count = node.ptr->child_count;
      visible_child_count = child_count > 0 ? node.ptr->visible_child_count : 0;
    }

    // The frame moved on past the child, as `ts_tree_cursor_child_iterator_next` moves: the
    // first child starts where its parent does, each later one after its own padding.
    Length position = frame->position;
    if (frame->child_index > 0) position = length_add(position, padding);
    frame->position = length_add(position, size);
    frame->child_index++;
    uint32_t structural_index = frame->structural_index;
    TSSymbol alias = 0;
    TSFieldId field = 0;
    if (!extra) {
      if (frame->alias_sequence) alias = frame->alias_sequence[structural_index];
      frame->structural_index++;
      // Its field as `ts_tree_cursor_current_field_id` finds it: its own in this frame's
      // production, else the one this frame inherits through hidden nodes; none for extras.
      for (uint32_t i = 0; i < frame->field_map_length; i++) {
        const TSFieldMapEntry *map = &frame->field_map[i];
        if (!map->inherited && map->child_index == structural_index) {
          field = map->field_id;
          break;
        }
      }
      if (!field) field = frame->inherited_field;
    }
    // The walk frees what it does not enter as it passes it, and a node it enters when it
    // leaves it.
    bool free_now = frame->owned && child_count == 0;

    bool visible = own_visible || alias != 0;
    uint32_t owner = frame->owner;
    if (visible) {
      TSSymbol kind = public_symbol(language, alias ? alias : symbol);
      bool named = is_named(language, kind);
      if (left_out(table, named, kind, child_count, field)) {
        if (free_now) release(pool, node);
        continue;
      }
      owner = count++;
      put(table, owner, (PykataEntry) {
        .id = child,
        .start_byte = position.bytes,
        .row = position.extent.row,
        .column = position.extent.column,
        .end_byte = position.bytes + size.bytes,
        .parent = frame->owner,
        .end = owner + 1,
        .first = 0,
        .count = 0,
        .alias = alias,
        .kind = kind,
        .field = field,
        .flags = (named ? PYKATA_NAMED : 0) | (missing ? PYKATA_MISSING : 0),
      });
      table->entries[frame->owner].count++;
      // A leaf adds its kind to its parent's now; a node with children when they are read.
      if (child_count == 0) {
        table->below[frame->owner] |= table->below[owner];
        if (free_now) release(pool, node);
        continue;
      }
    } else if (visible_child_count == 0) {
      // The cursor walks into a hidden node only when it has visible children.
      if (frame->owned) release(pool, node);
      continue;
    }

    bool owned = frame->owned && take(ts_subtree_to_mut_unsafe(node).ptr);
    // Growing the frames moves them: `frame` is not used past this point.
    if (depth + 1 == frame_capacity) {
      frame_capacity *= 2;
      if (frames == inline_frames) {
        frames = ts_malloc(frame_capacity * sizeof(Frame));
        memcpy(frames, inline_frames, sizeof(inline_frames));
      } else {
        frames = ts_realloc(frames, frame_capacity * sizeof(Frame));
      }
    }
    depth++;
    frames[depth] =
      frame_new(language, node.ptr, position, owner, visible ? 0 : field, visible, owned);
  }

  if (frames != inline_frames) ts_free(frames);
  return count;
}

// Reads `root` and what is below it into `table` (see `read_tree`); the tree is left as it
// was.
uint32_t pykata_read_tree(TSNode root, PykataTable *table) {
  return read_tree(root, table, NULL);
}

// Reads the whole of `tree` into `table` (see `read_tree`) and deletes the tree as
// `ts_tree_delete` does, freeing each node right after reading it.
uint32_t pykata_read_and_delete_tree(TSTree *tree, PykataTable *table) {
  SubtreePool pool = ts_subtree_pool_new(0);
  uint32_t count = read_tree(ts_tree_root_node(tree), table, &pool);
  ts_subtree_pool_delete(&pool);
  ts_language_delete(tree->language);
  ts_free(tree->included_ranges);
  ts_free(tree);
  return count;
}
