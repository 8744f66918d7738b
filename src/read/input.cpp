// placeholder: replaced by the readers
