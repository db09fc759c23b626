"""Present: figures, theme, tile map, exports, PDF and PPTX — layout of analysis frames, no store access."""
