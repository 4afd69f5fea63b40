medatlasShard("l-e",{"terms":["effusion","emergency","epsilon","excluded"],"best":"AIQU"});
