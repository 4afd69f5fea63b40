medatlasShard("sort-size",[1,"23041"]);
