"""App: Streamlit helpers for the pages (filters, layout, login, upload review)."""
