medatlasShard("p-ef",{"terms":["effusion"],"postings":["59D"]});
