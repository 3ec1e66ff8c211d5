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

#include <string.h>

#include "tree_sitter/api.h"
#include "alloc.h"
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
  // Whether its kind is named: a regular symbol, as `Language::node_kind_is_named` has it.
  uint16_t named;
} PykataEntry;

// Where a read writes: `capacity` entries, and for each its kind and the kinds below it.
typedef struct {
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
  bool visible
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

// Writes entry `index` of `table` (which has room for it).
static inline void put(
  const PykataTable *table,
  uint32_t index,
  PykataEntry entry
) {
  table->entries[index] = entry;
  table->kinds[index] = entry.kind;
  table->below[index] = kind_bit(table, entry.kind);
  if (entry.kind / 64 < table->present_words) {
    table->present[entry.kind / 64] |= (uint64_t)1 << (entry.kind % 64);
  }
}

// Reads `root` and every node below it that a tree cursor visits (less the anonymous leaves
// `table->keep_anonymous` leaves out), in document order, into
// the first `table->capacity` entries of `table`, and returns how many nodes there are: when
// that is more than the capacity, only the first `capacity` are written and the caller calls
// again with room for all. Each entry's `below` holds the bits of its whole subtree, and its
// `count` its children; `first` is left 0. Memory for the walk comes from tree-sitter's
// allocator, which aborts when it has none, as tree-sitter does.
//
// `root` must be a node of a live tree (`root.id` and `root.tree` valid, as the API gives
// them), and `table` must have room for `capacity` of each of its arrays.
uint32_t pykata_read_tree(TSNode root, const PykataTable *table) {
  const TSTree *tree = root.tree;
  const TSLanguage *language = tree->language;
  const uint32_t capacity = table->capacity;
  PykataEntry *restrict out = table->entries;
  uint64_t *restrict below = table->below;
  Subtree subtree = *(const Subtree *)root.id;
  TSSymbol root_symbol = root.context[3] ? (TSSymbol)root.context[3] : ts_subtree_symbol(subtree);

  uint32_t count = 1;
  if (capacity > 0) {
    TSSymbol kind = public_symbol(language, root_symbol);
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
      .kind = kind,
      .field = 0,
      .named = is_named(language, kind),
    });
  }
  if (ts_subtree_child_count(subtree) == 0) return count;

  // The frames of the current node and its ancestors, the current node's at `depth`. Each is
  // updated where it lies: a frame is never copied.
  Frame inline_frames[INLINE_FRAMES];
  Frame *frames = inline_frames;
  uint32_t frame_capacity = INLINE_FRAMES;
  uint32_t depth = 0;
  Length start = {root.context[0], {root.context[1], root.context[2]}};
  frames[0] = frame_new(language, subtree.ptr, start, 0, 0, true);

  for (;;) {
    Frame *frame = &frames[depth];
    if (frame->child_index == frame->child_count) {
      if (frame->visible && frame->owner < capacity) {
        out[frame->owner].end = count;
        uint32_t parent = out[frame->owner].parent;
        if (parent != UINT32_MAX) below[parent] |= below[frame->owner];
      }
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
    bool extra, own_visible;
    TSSymbol symbol;
    uint32_t child_count, visible_child_count;
    if (node.data.is_inline) {
      padding = (Length) {
        node.data.padding_bytes, {node.data.padding_rows, node.data.padding_columns}
      };
      size = (Length) {node.data.size_bytes, {0, node.data.size_bytes}};
      extra = node.data.extra;
      own_visible = node.data.visible;
      symbol = node.data.symbol;
      child_count = 0;
      visible_child_count = 0;
    } else {
      padding = node.ptr->padding;
      size = node.ptr->size;
      extra = node.ptr->extra;
      own_visible = node.ptr->visible;
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

    bool visible = own_visible || alias != 0;
    uint32_t owner = frame->owner;
    if (visible) {
      TSSymbol kind = public_symbol(language, alias ? alias : symbol);
      bool named = is_named(language, kind);
      if (left_out(table, named, kind, child_count, field)) continue;
      owner = count++;
      if (owner < capacity) {
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
          .named = named,
        });
        out[frame->owner].count++;
        // A leaf adds its kind to its parent's now; a node with children when they are read.
        if (child_count == 0) below[frame->owner] |= below[owner];
      }
      if (child_count == 0) continue;
    } else if (visible_child_count == 0) {
      // The cursor walks into a hidden node only when it has visible children.
      continue;
    }

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
    frames[depth] = frame_new(language, node.ptr, position, owner, visible ? 0 : field, visible);
  }

  if (frames != inline_frames) ts_free(frames);
  return count;
}
