"""Members' text made safe to show: Markdown rendered and sanitised, video links recognised."""
