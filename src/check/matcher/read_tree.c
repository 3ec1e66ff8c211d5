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

// One node of the table. Mirrored by `Record` in `run.rs`.
typedef struct {
  // The node as tree-sitter's API gives it.
  TSNode node;
  // The index of its parent (`UINT32_MAX` for the first node).
  uint32_t parent;
  // One past the index of its last descendant.
  uint32_t end;
  // Its public kind, alias applied (`ts_node_symbol`).
  TSSymbol kind;
  // The field it is reached by, through hidden parents too (0: none).
  TSFieldId field;
  // Where it ends (`ts_node_end_byte`).
  uint32_t end_byte;
} PykataRecord;

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
// on the heap. `warm` fetches them all first, in breadth-first order, where each fetch does
// not wait on the one before it (`WARM_AHEAD` subtrees ahead); the walk itself fetches each
// node's later children (`PREFETCH_AHEAD` ahead) as it reads the earlier ones.
#define WARM_AHEAD 16
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

static void warm(const SubtreeHeapData *root) {
  // About as many subtrees have heap data as there are visible nodes.
  uint32_t capacity = root->visible_descendant_count + 64, head = 0, tail = 0;
  const SubtreeHeapData **queue = ts_malloc(capacity * sizeof(*queue));
  queue[tail++] = root;
  while (head < tail) {
    if (head + WARM_AHEAD < tail) {
      // A node's children are stored just before its data.
      const char *ahead = (const char *)queue[head + WARM_AHEAD];
      PREFETCH(ahead - 64);
      PREFETCH(ahead);
      PREFETCH(ahead + 64);
    }
    const SubtreeHeapData *node = queue[head++];
    uint32_t count = node->child_count;
    const Subtree *children = (const Subtree *)node - count;
    if (count > capacity - tail) {
      while (count > capacity - tail) capacity *= 2;
      queue = ts_realloc(queue, capacity * sizeof(*queue));
    }
    for (uint32_t i = 0; i < count; i++) {
      if (!children[i].data.is_inline) queue[tail++] = children[i].ptr;
    }
  }
  ts_free(queue);
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

// Reads `root` and every node below it that a tree cursor visits, in document order, into
// `out[0..capacity]`, and returns how many nodes there are: when that is more than
// `capacity`, only the first `capacity` are written and the caller calls again with room
// for all. Memory for the walk comes from tree-sitter's allocator, which aborts when it has
// none, as tree-sitter does.
//
// `root` must be a node of a live tree (`root.id` and `root.tree` valid, as the API gives
// them) and `out` must have room for `capacity` records.
uint32_t pykata_read_tree(TSNode root, PykataRecord *restrict out, uint32_t capacity) {
  const TSTree *tree = root.tree;
  const TSLanguage *language = tree->language;
  Subtree subtree = *(const Subtree *)root.id;
  TSSymbol root_symbol = root.context[3] ? (TSSymbol)root.context[3] : ts_subtree_symbol(subtree);

  uint32_t count = 1;
  if (capacity > 0) {
    out[0] = (PykataRecord) {
      .node = root,
      .parent = UINT32_MAX,
      .end = 1,
      .kind = public_symbol(language, root_symbol),
      .field = 0,
      .end_byte = root.context[0] + ts_subtree_size(subtree).bytes,
    };
  }
  if (ts_subtree_child_count(subtree) == 0) return count;
  warm(subtree.ptr);

  // The frames of the current node's ancestors; the current node's is `frame`.
  Frame inline_frames[INLINE_FRAMES];
  Frame *frames = inline_frames;
  uint32_t frame_capacity = INLINE_FRAMES;
  uint32_t depth = 0;
  Length start = {root.context[0], {root.context[1], root.context[2]}};
  Frame frame = frame_new(language, subtree.ptr, start, 0, 0, true);

  for (;;) {
    if (frame.child_index == frame.child_count) {
      if (frame.visible && frame.owner < capacity) out[frame.owner].end = count;
      if (depth == 0) break;
      frame = frames[--depth];
      continue;
    }

    const Subtree *child = &frame.children[frame.child_index];
    if (frame.child_index + PREFETCH_AHEAD < frame.child_count) {
      prefetch(frame.children[frame.child_index + PREFETCH_AHEAD]);
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
    Length position = frame.position;
    if (frame.child_index > 0) position = length_add(position, padding);
    frame.position = length_add(position, size);
    frame.child_index++;
    uint32_t structural_index = frame.structural_index;
    TSSymbol alias = 0;
    TSFieldId field = 0;
    if (!extra) {
      if (frame.alias_sequence) alias = frame.alias_sequence[structural_index];
      frame.structural_index++;
      // Its field as `ts_tree_cursor_current_field_id` finds it: its own in this frame's
      // production, else the one this frame inherits through hidden nodes; none for extras.
      for (uint32_t i = 0; i < frame.field_map_length; i++) {
        const TSFieldMapEntry *map = &frame.field_map[i];
        if (!map->inherited && map->child_index == structural_index) {
          field = map->field_id;
          break;
        }
      }
      if (!field) field = frame.inherited_field;
    }

    bool visible = own_visible || alias != 0;
    uint32_t owner = frame.owner;
    if (visible) {
      owner = count++;
      if (owner < capacity) {
        out[owner] = (PykataRecord) {
          .node = {
            {position.bytes, position.extent.row, position.extent.column, alias},
            child,
            tree,
          },
          .parent = frame.owner,
          .end = owner + 1,
          .kind = public_symbol(language, alias ? alias : symbol),
          .field = field,
          .end_byte = position.bytes + size.bytes,
        };
      }
      if (child_count == 0) continue;
    } else if (visible_child_count == 0) {
      // The cursor walks into a hidden node only when it has visible children.
      continue;
    }

    if (depth == frame_capacity) {
      frame_capacity *= 2;
      if (frames == inline_frames) {
        frames = ts_malloc(frame_capacity * sizeof(Frame));
        memcpy(frames, inline_frames, sizeof(inline_frames));
      } else {
        frames = ts_realloc(frames, frame_capacity * sizeof(Frame));
      }
    }
    frames[depth++] = frame;
    frame = frame_new(language, node.ptr, position, owner, visible ? 0 : field, visible);
  }

  if (frames != inline_frames) ts_free(frames);
  return count;
}
