-- case: CREATE UNIQUE INDEX without CONCURRENTLY
-- label: hazard
CREATE UNIQUE INDEX order_items_sku_idx ON order_items (order_id, sku);
-- expect: create-index-nonconcurrent@3 public.order_items
