"""A language's pages planned from the campaign: each page kind's typed data (page_data, views, pages), the
campaign in another language (localize), calendars, regions, and the whole build's Plan (site)."""
