DROP TABLE email_items;
